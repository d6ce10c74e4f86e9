import { ConnectError, createClient } from "@connectrpc/connect";
import { MachineService, type Version } from "@talos/machinery/api";
import { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { insecureConnections } from "../transport/insecure-transport.ts";
import { endpointHost } from "../transport/node-replies.ts";
import { formatRpcError, multiNodeError, toCliError } from "../transport/rpc-error.ts";
import { connect, nodesHeaders, type TalosConnection } from "../transport/talos-client.ts";
import { TALOSCTL_SHA, TALOSCTL_VERSION } from "../version.ts";

interface VersionFlags {
  readonly client?: boolean;
  readonly short?: boolean;
  readonly insecure?: boolean;
}

/** `talosctl version [--client] [--short]`: the client's version and, from the nodes, the servers'. */
export function registerVersion(root: Command): void {
  root.addCommand(
    new Command("version")
      .description("Prints the version")
      .option("--client", "Print client version only")
      .option("-i, --insecure", "use Talos maintenance mode API")
      .option("--short", "Print the short version")
      .action(async (flags: VersionFlags, cmd: Command) => {
        process.stdout.write(formatClientVersion(flags.short === true));
        if (flags.client === true) return;
        if (flags.insecure === true) {
          // Maintenance mode: each node answers for itself, without node metadata.
          for (const conn of insecureConnections(cmd)) {
            await printServerVersions(conn, new Headers(conn.baseHeaders), flags.short === true, true);
          }
          return;
        }
        const conn = await connect(cmd);
        await printServerVersions(conn, nodesHeaders(conn, conn.nodes), flags.short === true, false);
      }),
  );
}

async function printServerVersions(
  conn: TalosConnection,
  headers: Headers,
  short: boolean,
  insecure: boolean,
): Promise<void> {
  const client = createClient(MachineService, conn.transport);
  let reply: Awaited<ReturnType<typeof client.version>>;
  try {
    reply = await client.version({}, { headers });
  } catch (e) {
    // In maintenance mode there is no talosconfig certificate to blame: no TLS hint.
    if (insecure && e instanceof ConnectError) throw new CliError(`error getting version: ${formatRpcError(e)}`);
    throw toCliError(e, "error getting version");
  }
  const errors: { node: string; error: string }[] = [];
  let out = "Server:\n";
  for (const msg of reply.messages) {
    const node = msg.metadata !== undefined ? msg.metadata.hostname : insecure ? endpointHost(conn) : "";
    if ((msg.metadata?.error ?? "") !== "") {
      errors.push({ node, error: msg.metadata?.error ?? "" });
      continue;
    }
    out += formatServerVersion(node, msg, short);
  }
  process.stdout.write(out);
  if (errors.length > 0) throw multiNodeError(errors);
}

/** One node's block of the `Server:` section, as talosctl prints it. */
export function formatServerVersion(node: string, msg: Version, short: boolean): string {
  const v = msg.version;
  let out = `\tNODE:        ${node}\n`;
  if (short) return `${out}\tTalos ${v?.tag ?? ""}\n`;
  out +=
    `\tTag:         ${v?.tag ?? ""}\n` +
    `\tSHA:         ${v?.sha ?? ""}\n` +
    `\tBuilt:       ${v?.built ?? ""}\n` +
    `\tRuntime:     ${v?.goVersion ?? ""}\n` +
    `\tOS/Arch:     ${v?.os ?? ""}/${v?.arch ?? ""}\n`;
  const features = msg.features?.rbac === true ? ["RBAC"] : [];
  return `${out}\tEnabled:     ${features.join(", ")}\n`;
}

/** The `Client:` block, laid out as talosctl prints it. */
export function formatClientVersion(short: boolean): string {
  if (short) return `Client:\n\tTalos ${TALOSCTL_VERSION}\n`;
  return (
    "Client:\n" +
    `\tTag:         ${TALOSCTL_VERSION}\n` +
    `\tSHA:         ${TALOSCTL_SHA}\n` +
    "\tBuilt:       \n" +
    `\tRuntime:     node ${process.version}\n` +
    `\tOS/Arch:     ${process.platform}/${process.arch === "x64" ? "amd64" : process.arch}\n`
  );
}
