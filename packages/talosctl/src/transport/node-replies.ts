// Multi-node replies as talosctl handles them: which nodes a command targets, the per-node errors apid
// embeds in one-to-many replies (pkg/machinery/client/reply.go FilterMessages), and the node a reply is from.
import { Code, ConnectError } from "@connectrpc/connect";
import type { Metadata } from "@talos/machinery/api";
import { CliError } from "../cli/errors.ts";
import { formatRpcError, multiNodeError, toCliError } from "./rpc-error.ts";
import type { TalosConnection } from "./talos-client.ts";

/** Talos's error when neither `--nodes` nor the context names a node. */
export const NODES_NOT_SET =
  "nodes are not set for the command: please use `--nodes` flag or configuration file to set the nodes to run the command against";

/** The nodes a command runs against (`--nodes`, else the context's), which Talos requires. */
export function requireNodes(conn: TalosConnection): string[] {
  if (conn.nodes.length === 0) throw new CliError(NODES_NOT_SET);
  return [...conn.nodes];
}

/** helpers.FailIfMultiNodes: commands that only make sense against one node. */
export function failIfMultiNodes(nodes: readonly string[], command: string): void {
  if (nodes.length > 1) throw new CliError(`command ${JSON.stringify(command)} is not supported with multiple nodes`);
}

/** A node's error from a one-to-many reply. */
export interface NodeError {
  readonly node: string;
  readonly error: string;
}

/** The error text of an error element: its gRPC status when present (`rpc error: code = ...`), else the text. */
export function metadataErrorText(md: Metadata): string {
  const st = md.status;
  if (st !== undefined && st.code !== 0) {
    return formatRpcError(new ConnectError(st.message, st.code as Code));
  }
  return md.error;
}

/** The gRPC code of an error element (Unknown when it carries no status). */
export function metadataErrorCode(md: Metadata): number {
  return md.status !== undefined && md.status.code !== 0 ? md.status.code : Code.Unknown;
}

/** Splits a unary reply's elements into the good ones and the per-node errors, as FilterMessages does. */
export function splitReplies<T extends { metadata?: Metadata | undefined }>(
  messages: readonly T[],
): { ok: T[]; errors: NodeError[] } {
  const ok: T[] = [];
  const errors: NodeError[] = [];
  for (const m of messages) {
    if (m.metadata !== undefined && m.metadata.error !== "") {
      errors.push({ node: m.metadata.hostname, error: metadataErrorText(m.metadata) });
    } else {
      ok.push(m);
    }
  }
  return { ok, errors };
}

/**
 * The node a reply element names: its metadata's hostname when it has metadata (one-to-many, through
 * apid), else the peer address, as talosctl prints it.
 */
export function replyNode(msg: { metadata?: Metadata | undefined }, fallback: string): string {
  return msg.metadata !== undefined ? msg.metadata.hostname : fallback;
}

/** The address talosctl falls back to for replies without a hostname: the endpoint's host. */
export function endpointHost(conn: TalosConnection): string {
  const ep = conn.endpoints[0] ?? "";
  const bracketed = /^\[(.*)\](?::\d+)?$/.exec(ep);
  if (bracketed !== null) return bracketed[1] ?? "";
  return ep.replace(/^https?:\/\//, "").replace(/:\d+$/, "");
}

/**
 * A failed call as a CLI error (`<what>: rpc error: ...`). A pinned maintenance-mode handshake that failed
 * says so itself; it gets none of the talosconfig-certificate hints of {@link toCliError}.
 */
export function callError(e: unknown, what?: string): unknown {
  if (e instanceof ConnectError && e.rawMessage.includes("doesn't match the provided fingerprints")) {
    return new CliError(`${what !== undefined ? `${what}: ` : ""}${formatRpcError(e)}`);
  }
  return toCliError(e, what);
}

/**
 * Makes a unary call and filters its reply. A failed call, or a reply where every node failed, ends the
 * command with `<what>: <error>` (Talos's wording); otherwise the good elements and the node errors are
 * returned, the caller prints the former and then ends with {@link finishWithNodeErrors}.
 */
export async function callNodes<T extends { metadata?: Metadata | undefined }>(
  what: string,
  call: () => Promise<{ messages: T[] }>,
): Promise<{ ok: T[]; errors: NodeError[] }> {
  let reply: { messages: T[] };
  try {
    reply = await call();
  } catch (e) {
    throw callError(e, what);
  }
  const { ok, errors } = splitReplies(reply.messages);
  if (errors.length > 0 && ok.length === 0) throw new CliError(`${what}: ${multiNodeError(errors).message}`);
  return { ok, errors };
}

/**
 * For calls whose only result is success (reboot, bootstrap, etcd leave...): any node error fails the
 * command with `<what>: <multierror>`, as the Go client's error-only methods do.
 */
export async function callNodesOrFail<T extends { metadata?: Metadata | undefined }>(
  what: string | undefined,
  call: () => Promise<{ messages: T[] }>,
): Promise<T[]> {
  let reply: { messages: T[] };
  try {
    reply = await call();
  } catch (e) {
    throw callError(e, what);
  }
  const { ok, errors } = splitReplies(reply.messages);
  if (errors.length > 0) {
    const msg = multiNodeError(errors).message;
    throw new CliError(what !== undefined ? `${what}: ${msg}` : msg);
  }
  return ok;
}

/** Ends a command whose good results were printed: exit 1 with the nodes' errors, if any. */
export function finishWithNodeErrors(errors: readonly NodeError[]): void {
  if (errors.length > 0) throw multiNodeError(errors);
}
