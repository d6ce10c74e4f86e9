import { type Client, ConnectError, createClient } from "@connectrpc/connect";
import { cosi } from "@talos/machinery/api";
import { definitionId, matchesDefinition, type ResourceDefinitionSpec } from "@talos/machinery/resources";
import { Command, Option } from "commander";
import { CliError } from "../cli/errors.ts";
import { decodeResourceDefinition } from "../output/resource-definition.ts";
import {
  type OutputFormat,
  type ResourceItem,
  renderDocuments,
  renderTable,
  tableHeader,
  tableRow,
} from "../output/resource-output.ts";
import { insecureConnections } from "../transport/insecure-transport.ts";
import { formatRpcError, toCliError } from "../transport/rpc-error.ts";
import { connect, nodeHeaders, type TalosConnection } from "../transport/talos-client.ts";
import { formatTable } from "../util/tab-writer.ts";

interface GetFlags {
  readonly namespace?: string;
  readonly output: string;
  readonly watch?: boolean;
  readonly insecure?: boolean;
}

const RD_TYPE = "ResourceDefinitions.meta.cosi.dev";

/** `talosctl get <type> [<id>]`: resources from each node, as a table, YAML, JSON or JSONPath; `-w` watches. */
export function registerGet(root: Command): void {
  root.addCommand(
    new Command("get")
      .description(
        "Get a specific resource or list of resources (use 'talosctl get rd' to see all available resource types).",
      )
      .argument("<type>")
      .argument("[id]")
      .option("-i, --insecure", "get resources using the insecure (encrypted with no auth) maintenance service")
      .option("--namespace <namespace>", "resource namespace (default is to use default namespace per resource)")
      .addOption(new Option("-o, --output <format>", "output mode (json, table, yaml, jsonpath)").default("table"))
      .option("-w, --watch", "watch resource changes")
      .action(async (type: string, id: string | undefined, flags: GetFlags, cmd: Command) => {
        await runGet(cmd, type, id, flags);
      }),
  );
}

function parseOutput(value: string): { format: OutputFormat; expr: string } {
  if (value === "table" || value === "yaml" || value === "json") return { format: value, expr: "" };
  if (value.startsWith("jsonpath=")) return { format: "jsonpath", expr: value.slice("jsonpath=".length) };
  if (value === "jsonpath") throw new CliError("-o jsonpath needs an expression: -o jsonpath='{.spec}'");
  throw new CliError(`-o: unknown output format ${JSON.stringify(value)}, expected table, yaml, json or jsonpath=EXPR`);
}

async function runGet(cmd: Command, word: string, id: string | undefined, flags: GetFlags): Promise<void> {
  const { format, expr } = parseOutput(flags.output);
  // Each target is a client, its connection and the node it is asked for ("" = the endpoint itself). In
  // maintenance mode (--insecure) every node is its own endpoint, talked to without node metadata.
  const targets =
    flags.insecure === true
      ? insecureConnections(cmd).map((c) => ({ client: createClient(cosi.State, c.transport), conn: c, node: "" }))
      : await (async () => {
          const conn = await connect(cmd);
          const client = createClient(cosi.State, conn.transport);
          return (conn.nodes.length > 0 ? conn.nodes : [""]).map((node) => ({ client, conn, node }));
        })();
  const first = targets[0];
  if (first === undefined) return;
  const rd = await resolveDefinition(first.client, first.conn, first.node, word);
  const namespace = flags.namespace ?? rd.defaultNamespace;

  if (flags.watch === true) {
    await Promise.all(targets.map((t) => watchNode(t.client, t.conn, t.node, rd, namespace, id, format, expr)));
    return;
  }
  const items: ResourceItem[] = [];
  const errors: string[] = [];
  for (const { client, conn, node } of targets) {
    try {
      items.push(...(await fetchNode(client, conn, node, rd, namespace, id)));
    } catch (e) {
      if (!(e instanceof ConnectError)) throw e;
      errors.push(`${node === "" ? conn.endpoints[0] : node}: ${formatRpcError(e)}`);
    }
  }
  if (format === "table") {
    process.stdout.write(renderTable(rd, items));
  } else {
    process.stdout.write(renderDocuments(items, format, expr));
  }
  if (errors.length > 0) throw new CliError(errors.join("\n"));
}

/** Finds the definition whose ID or alias matches the user's word, from the node's `rd` list. */
async function resolveDefinition(
  client: Client<typeof cosi.State>,
  conn: TalosConnection,
  node: string,
  word: string,
): Promise<ResourceDefinitionSpec> {
  const found: ResourceDefinitionSpec[] = [];
  try {
    for await (const r of client.list({ namespace: "meta", type: RD_TYPE }, { headers: nodeHeaders(conn, node) })) {
      if (r.resource === undefined) continue;
      const spec = decodeResourceDefinition(r.resource);
      if (matchesDefinition(spec, word)) found.push(spec);
    }
  } catch (e) {
    throw toCliError(e);
  }
  if (found.length === 0) throw new CliError(`resource type ${JSON.stringify(word)} is not registered`);
  if (found.length > 1) {
    throw new CliError(
      `resource type ${JSON.stringify(word)} is ambiguous: ${found.map((f) => definitionId(f.type)).join(", ")}`,
    );
  }
  return found[0] as ResourceDefinitionSpec;
}

async function fetchNode(
  client: Client<typeof cosi.State>,
  conn: TalosConnection,
  node: string,
  rd: ResourceDefinitionSpec,
  namespace: string,
  id: string | undefined,
): Promise<ResourceItem[]> {
  const headers = nodeHeaders(conn, node);
  const label = node === "" ? (conn.endpoints[0] ?? "") : node;
  if (id !== undefined) {
    const r = await client.get({ namespace, type: rd.type, id }, { headers });
    return r.resource !== undefined ? [{ node: label, resource: r.resource }] : [];
  }
  const items: ResourceItem[] = [];
  for await (const r of client.list({ namespace, type: rd.type }, { headers })) {
    if (r.resource !== undefined) items.push({ node: label, resource: r.resource });
  }
  return items;
}

const EVENTS = {
  [cosi.EventType.CREATED]: "created",
  [cosi.EventType.UPDATED]: "updated",
  [cosi.EventType.DESTROYED]: "destroyed",
} as const;

async function watchNode(
  client: Client<typeof cosi.State>,
  conn: TalosConnection,
  node: string,
  rd: ResourceDefinitionSpec,
  namespace: string,
  id: string | undefined,
  format: OutputFormat,
  expr: string,
): Promise<void> {
  const label = node === "" ? (conn.endpoints[0] ?? "") : node;
  const header = tableHeader(rd, true);
  if (format === "table") process.stdout.write(formatTable([header]));
  try {
    const stream = client.watch(
      {
        namespace,
        type: rd.type,
        ...(id !== undefined ? { id } : {}),
        options: { bootstrapContents: id === undefined },
        apiVersion: 1,
      },
      { headers: nodeHeaders(conn, node) },
    );
    for await (const msg of stream) {
      for (const ev of msg.event) {
        const kind = EVENTS[ev.eventType as keyof typeof EVENTS];
        if (kind === undefined || ev.resource === undefined) continue;
        const item: ResourceItem = { node: label, resource: ev.resource, event: kind };
        if (format === "table") {
          // Align each row with the header so columns line up as rows stream in.
          const text = formatTable([header, tableRow(rd, item)]);
          process.stdout.write(text.slice(text.indexOf("\n") + 1));
        } else {
          process.stdout.write(renderDocuments([item], format, expr));
        }
      }
    }
  } catch (e) {
    throw toCliError(e, label);
  }
}
