// What a support bundle holds and how each piece is fetched. Every call addresses one node with `node`
// metadata (apid proxies it one-to-one); a node's collectors run on --num-workers workers, all nodes at
// once. A failed collector becomes a line of the node's error.txt, never a failure of the bundle.

import { type CallOptions, type Client, ConnectError, createClient } from "@connectrpc/connect";
import { ContainerDriver, cosi, MachineService, type Metadata } from "@talos/machinery/api";
import type { ResourceDefinitionSpec } from "@talos/machinery/resources";
import { decodeResourceDefinition } from "../../output/resource-definition.ts";
import { renderTable } from "../../output/resource-output.ts";
import { metadataErrorText } from "../../transport/node-replies.ts";
import { formatRpcError } from "../../transport/rpc-error.ts";
import { nodeHeaders, type TalosConnection } from "../../transport/talos-client.ts";
import { membersTable } from "../etcd.ts";
import { memoryTable } from "../memory.ts";
import { formatClientVersion, formatServerVersion } from "../version.ts";
import type { BundleArchive } from "./archive.ts";
import type { ProgressReporter } from "./progress.ts";
import { ioFile, mountsFile, processesFile, resourcesFile, serviceStateFile } from "./render.ts";

const RD_TYPE = "ResourceDefinitions.meta.cosi.dev";
const MEMBER_TYPE = "Members.cluster.talos.dev";
/** The source name of the cluster-wide files, as Talos names it. */
export const CLUSTER_SOURCE = "cluster";
/** No call may hang the bundle: a node that stops answering fails the collector after this long. */
const CALL_TIMEOUT_MS = 120_000;

export interface SupportContext {
  readonly conn: TalosConnection;
  readonly archive: BundleArchive;
  readonly progress: ProgressReporter;
  readonly workers: number;
}

export interface CollectError {
  /** Path inside the source's folder ("" for the source as a whole). */
  readonly file: string;
  readonly error: string;
}

export interface SourceResult {
  readonly source: string;
  /** False when nothing could be collected (the node did not answer). */
  readonly reachable: boolean;
  readonly errors: readonly CollectError[];
  /** What the node registers, kept for the cluster collectors. */
  readonly definitions?: readonly ResourceDefinitionSpec[];
}

/** A file of the bundle: its path in the source's folder and how to fetch it (undefined: no file). */
interface Collector {
  readonly file: string;
  readonly collect: () => Promise<string | Uint8Array | undefined>;
}

/** An API failure as Talos's client prints it (`rpc error: code = ... desc = ...`). */
export function errorText(e: unknown): string {
  if (e instanceof ConnectError) return formatRpcError(e);
  return e instanceof Error ? e.message : String(e);
}

/** Throws the first per-node error a reply carries (apid puts a proxied node's failure there). */
function checkReply<T extends { metadata?: Metadata | undefined }>(messages: readonly T[]): T[] {
  for (const m of messages) {
    if (m.metadata !== undefined && m.metadata.error !== "") throw new Error(metadataErrorText(m.metadata));
  }
  return [...messages];
}

/** Reads a byte stream (logs, dmesg) to its end. */
async function readBytes(stream: AsyncIterable<{ metadata?: Metadata | undefined; bytes: Uint8Array }>) {
  const chunks: Uint8Array[] = [];
  for await (const item of stream) {
    if (item.metadata !== undefined && item.metadata.error !== "") throw new Error(metadataErrorText(item.metadata));
    chunks.push(item.bytes);
  }
  return Buffer.concat(chunks);
}

function decodeDefinition(res: cosi.Resource): ResourceDefinitionSpec & { id: string } {
  const spec = decodeResourceDefinition(res);
  return { id: res.metadata?.id ?? spec.type.toLowerCase(), ...spec };
}

async function listResources(
  state: Client<typeof cosi.State>,
  opts: CallOptions,
  namespace: string,
  type: string,
): Promise<cosi.Resource[]> {
  const out: cosi.Resource[] = [];
  for await (const r of state.list({ namespace, type }, opts)) {
    if (r.resource !== undefined) out.push(r.resource);
  }
  return out;
}

/** Runs collectors on `workers` workers, adding each result to the archive under `folder/`. */
async function runCollectors(
  ctx: SupportContext,
  source: string,
  folder: string,
  collectors: readonly Collector[],
  errors: CollectError[],
): Promise<void> {
  const total = collectors.length;
  ctx.progress.start(source, total);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const c = collectors[next++];
      if (c === undefined) return;
      const started = performance.now();
      try {
        const data = await c.collect();
        if (data !== undefined) ctx.archive.add(`${folder}/${c.file}`, data);
        done++;
        ctx.progress.step({
          source,
          file: c.file,
          done,
          total,
          bytes: data === undefined ? 0 : typeof data === "string" ? Buffer.byteLength(data) : data.length,
          ms: performance.now() - started,
        });
      } catch (e) {
        const error = errorText(e);
        errors.push({ file: c.file, error });
        done++;
        ctx.progress.step({ source, file: c.file, done, total, error, ms: performance.now() - started });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.workers, collectors.length)) }, worker));
}

/** error.txt: one `<file>: <error>` line per failed collector. */
function errorFile(errors: readonly CollectError[]): string {
  return errors.map((e) => (e.file !== "" ? `${e.file}: ${e.error}\n` : `${e.error}\n`)).join("");
}

/** Collects everything about one node into the folder named after the node as given. */
export async function collectNode(ctx: SupportContext, node: string): Promise<SourceResult> {
  const { conn, archive, progress } = ctx;
  const opts: CallOptions = { headers: nodeHeaders(conn, node), timeoutMs: CALL_TIMEOUT_MS };
  const machine = createClient(MachineService, conn.transport);
  const state = createClient(cosi.State, conn.transport);
  progress.start(node, 0);

  // The version doubles as the probe: a node that cannot answer it gets error.txt and nothing else.
  let versionText: string;
  try {
    const reply = checkReply((await machine.version({}, opts)).messages);
    versionText = `${formatClientVersion(false)}Server:\n${reply.map((m) => formatServerVersion(node, m, false)).join("")}`;
  } catch (e) {
    const error = errorText(e);
    archive.add(`${node}/error.txt`, `node ${node} could not be reached, nothing was collected from it:\n${error}\n`);
    progress.failed(node, error);
    return { source: node, reachable: false, errors: [{ file: "", error }] };
  }

  const errors: CollectError[] = [];
  const logs = (id: string) => () =>
    readBytes(
      machine.logs({ namespace: "system", driver: ContainerDriver.CONTAINERD, id, follow: false, tailLines: -1 }, opts),
    );
  const collectors: Collector[] = [
    { file: "version", collect: async () => versionText },
    { file: "dmesg.log", collect: () => readBytes(machine.dmesg({ follow: false, tail: false }, opts)) },
    { file: "controller-runtime.log", collect: logs("controller-runtime") },
    { file: "machined.log", collect: logs("machined") },
    { file: "mounts", collect: async () => mountsFile(checkReply((await machine.mounts({}, opts)).messages)) },
    {
      file: "processes",
      collect: async () => processesFile(checkReply((await machine.processes({}, opts)).messages)),
    },
    {
      file: "memory",
      collect: async () => memoryTable(checkReply((await machine.memory({}, opts)).messages), node),
    },
    { file: "io", collect: async () => ioFile(checkReply((await machine.diskStats({}, opts)).messages)) },
  ];

  // What the node has: its resource types and its services (each a file, as Talos lists them).
  const [rdList, serviceList] = await Promise.allSettled([
    listResources(state, opts, "meta", RD_TYPE),
    machine.serviceList({}, opts),
  ]);
  let definitions: (ResourceDefinitionSpec & { id: string })[] = [];
  if (rdList.status === "fulfilled") {
    definitions = rdList.value.map(decodeDefinition);
    for (const rd of definitions) {
      collectors.push({
        file: `resources/${rd.id}.yaml`,
        collect: async () => {
          const items = await listResources(state, opts, rd.defaultNamespace, rd.type);
          // Talos writes no file for a type without resources.
          return items.length > 0 ? resourcesFile(items, rd.sensitivity === "sensitive") : undefined;
        },
      });
    }
  } else {
    errors.push({ file: "resources", error: `listing resource definitions: ${errorText(rdList.reason)}` });
  }
  if (serviceList.status === "fulfilled") {
    try {
      for (const msg of checkReply(serviceList.value.messages)) {
        for (const svc of msg.services) {
          collectors.push(
            { file: `service-logs/${svc.id}.log`, collect: logs(svc.id) },
            {
              file: `service-logs/${svc.id}.state`,
              collect: async () => {
                // Fetched again, so that the state is the one at the time the file is written.
                const now = Date.now();
                const found = checkReply((await machine.serviceList({}, opts)).messages)
                  .flatMap((m) => m.services)
                  .find((s) => s.id === svc.id);
                if (found === undefined) throw new Error(`service ${JSON.stringify(svc.id)} is not registered`);
                return serviceStateFile(found, now);
              },
            },
          );
        }
      }
    } catch (e) {
      errors.push({ file: "service-logs", error: `listing services: ${errorText(e)}` });
    }
  } else {
    errors.push({ file: "service-logs", error: `listing services: ${errorText(serviceList.reason)}` });
  }

  await runCollectors(ctx, node, node, collectors, errors);
  if (errors.length > 0) archive.add(`${node}/error.txt`, errorFile(errors));
  return { source: node, reachable: true, errors, definitions };
}

/**
 * The cluster-wide files, from the nodes that answered (in `-n` order): the discovery members, the etcd
 * members, and a note in place of Talos's Kubernetes objects.
 */
export async function collectCluster(ctx: SupportContext, nodes: readonly SourceResult[]): Promise<SourceResult> {
  const { conn, archive } = ctx;
  const reachable = nodes.filter((n) => n.reachable);
  const errors: CollectError[] = [];
  const machine = createClient(MachineService, conn.transport);
  const state = createClient(cosi.State, conn.transport);
  const noNode = () => new Error("no node could be reached");
  const collectors: Collector[] = [
    {
      file: "members",
      collect: async () => {
        const from = reachable.find((n) => n.definitions?.some((d) => d.type === MEMBER_TYPE));
        const rd = from?.definitions?.find((d) => d.type === MEMBER_TYPE);
        if (from === undefined || rd === undefined) {
          throw reachable.length === 0 ? noNode() : new Error(`no node registers ${MEMBER_TYPE}`);
        }
        const opts = { headers: nodeHeaders(conn, from.source), timeoutMs: CALL_TIMEOUT_MS };
        const items = await listResources(state, opts, rd.defaultNamespace, rd.type);
        return renderTable(
          rd,
          items.map((resource) => ({ node: from.source, resource })),
        );
      },
    },
    {
      file: "etcd-members",
      collect: async () => {
        // Only control planes run etcd: ask the nodes in turn until one answers.
        const failures: string[] = [];
        for (const n of reachable) {
          try {
            const opts = { headers: nodeHeaders(conn, n.source), timeoutMs: CALL_TIMEOUT_MS };
            const reply = checkReply((await machine.etcdMemberList({ queryLocal: false }, opts)).messages);
            return `# as reported by ${n.source}\n${membersTable(reply)}`;
          } catch (e) {
            failures.push(`${n.source}: ${errorText(e)}`);
          }
        }
        throw failures.length === 0 ? noNode() : new Error(failures.join("; "));
      },
    },
    {
      file: "kubernetes.txt",
      collect: async () =>
        "Kubernetes objects were not collected (Talos adds kubernetesResources/nodes.yaml and\n" +
        "kubernetesResources/systemPods.yaml, and each node's kube-system container logs): this cluster has\n" +
        "no Kubernetes API yet.\n",
    },
  ];
  await runCollectors(ctx, CLUSTER_SOURCE, CLUSTER_SOURCE, collectors, errors);
  if (errors.length > 0) archive.add(`${CLUSTER_SOURCE}/error.txt`, errorFile(errors));
  return { source: CLUSTER_SOURCE, reachable: reachable.length > 0, errors };
}
