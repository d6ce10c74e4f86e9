// Server streams from one or many nodes, as talosctl's helpers.ReadGRPCStream reads them: items from all
// nodes interleaved, each tagged with its node by apid; a node's failure arrives as an item carrying only
// `metadata.error`, collected and reported once the stream ends.
import { Code, ConnectError } from "@connectrpc/connect";
import type { Metadata } from "@talos/machinery/api";
import { CliError } from "../cli/errors.ts";
import { metadataErrorText, type NodeError } from "./node-replies.ts";
import { toCliError } from "./rpc-error.ts";

export interface ReadStreamOptions {
  /** Prefix of the error when the stream itself fails (Talos: `error streaming results`). */
  readonly what?: string;
  /** Called for each node error as it arrives (besides collecting it). */
  readonly onNodeError?: (e: NodeError) => void;
}

/**
 * Reads a stream to its end, calling `handler` with each good item, the node it came from (its hostname,
 * else `fallbackNode`) and whether items carry hostnames (one-to-many). Returns the node errors seen.
 *
 * @throws {CliError} when the stream fails (cancellation ends it quietly).
 */
export async function readNodeStream<T extends { metadata?: Metadata | undefined }>(
  stream: AsyncIterable<T>,
  fallbackNode: string,
  handler: (item: T, node: string, multipleNodes: boolean) => void | Promise<void>,
  opts: ReadStreamOptions = {},
): Promise<NodeError[]> {
  const errors: NodeError[] = [];
  let multipleNodes = false;
  try {
    for await (const item of stream) {
      let node = fallbackNode;
      const md = item.metadata;
      if (md !== undefined) {
        if (md.hostname !== "") {
          multipleNodes = true;
          node = md.hostname;
        }
        if (md.error !== "") {
          const e = { node, error: metadataErrorText(md) };
          errors.push(e);
          opts.onNodeError?.(e);
          continue;
        }
      }
      await handler(item, node, multipleNodes);
    }
  } catch (e) {
    if (e instanceof ConnectError && e.code === Code.Canceled) return errors;
    throw toCliError(e, opts.what ?? "error streaming results");
  }
  return errors;
}

/** The nodes' errors of a stream, worded as talosctl's multierror for streams (`N errors occurred:`). */
export function streamErrors(errors: readonly NodeError[]): CliError {
  const n = errors.length;
  const lines = errors.map((e) => ` ${e.node !== "" ? `${e.node}: ` : ""}${e.error}`);
  return new CliError(`${n} error${n === 1 ? "" : "s"} occurred:\n${lines.join("\n")}`);
}

/** Ends a streaming command: exit 1 with the nodes' errors, if any. */
export function finishStream(errors: readonly NodeError[]): void {
  if (errors.length > 0) throw streamErrors(errors);
}
