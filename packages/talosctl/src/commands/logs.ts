import { TextDecoder } from "node:util";
import { createClient } from "@connectrpc/connect";
import { ContainerDriver, MachineService } from "@talos/machinery/api";
import { Command } from "commander";
import { endpointHost, requireNodes } from "../transport/node-replies.ts";
import { finishStream, readNodeStream } from "../transport/node-streams.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { parseInt32 } from "./flag-values.ts";

interface LogsFlags {
  readonly follow?: boolean;
  readonly kubernetes?: boolean;
  readonly useCri?: boolean;
  readonly tail: number;
}

/**
 * `talosctl logs <service name> [-f] [--tail N] [-k]`: a service's (or, with -k, a CRI container's) log
 * from each node, every line prefixed with the node it came from.
 */
export function registerLogs(root: Command): void {
  root.addCommand(
    new Command("logs")
      .description("Retrieve logs for a service")
      .argument("<service name>")
      .option("-f, --follow", "specify if the logs should be streamed")
      .option("-k, --kubernetes", "use the k8s.io containerd namespace")
      .option("--tail <int32>", "lines of log file to display (default is to show from the beginning)", parseInt32, -1)
      .action(async (id: string, flags: LogsFlags, cmd: Command) => {
        await runLogs(cmd, id, flags);
      }),
  );
}

/**
 * Re-splits each node's byte chunks into lines (chunks have arbitrary boundaries), as talosctl's line
 * slicer does: `\n` ends a line, a trailing `\r` is dropped, a last unterminated line is kept.
 */
export class LineSlicer {
  readonly #partial = new Map<string, string>();
  readonly #decoders = new Map<string, TextDecoder>();

  /** Feeds a chunk from a node; returns the complete lines it finished. */
  push(node: string, bytes: Uint8Array): string[] {
    let decoder = this.#decoders.get(node);
    if (decoder === undefined) {
      decoder = new TextDecoder("utf-8", { fatal: false });
      this.#decoders.set(node, decoder);
    }
    const text = (this.#partial.get(node) ?? "") + decoder.decode(bytes, { stream: true });
    const parts = text.split("\n");
    this.#partial.set(node, parts.pop() ?? "");
    return parts.map((l) => l.replace(/\r$/, ""));
  }

  /** The unterminated last lines, per node, at the end of the stream. */
  flush(): { node: string; line: string }[] {
    const out: { node: string; line: string }[] = [];
    for (const [node, partial] of this.#partial) {
      const rest = partial + (this.#decoders.get(node)?.decode() ?? "");
      if (rest !== "") out.push({ node, line: rest.replace(/\r$/, "") });
    }
    this.#partial.clear();
    return out;
  }
}

async function runLogs(cmd: Command, id: string, flags: LogsFlags): Promise<void> {
  const conn = await connect(cmd);
  const nodes = requireNodes(conn);
  const client = createClient(MachineService, conn.transport);
  const kubernetes = flags.kubernetes === true;
  const stream = client.logs(
    {
      namespace: kubernetes ? "k8s.io" : "system",
      driver: kubernetes ? ContainerDriver.CRI : ContainerDriver.CONTAINERD,
      id,
      follow: flags.follow === true,
      tailLines: flags.tail,
    },
    { headers: nodesHeaders(conn, nodes) },
  );
  const slicer = new LineSlicer();
  const errors = await readNodeStream(
    stream,
    endpointHost(conn),
    (data, node) => {
      const lines = slicer.push(node, data.bytes);
      if (lines.length > 0) process.stdout.write(lines.map((l) => `${node}: ${l}\n`).join(""));
    },
    {
      what: "error getting logs",
      onNodeError: (e) => process.stderr.write(`ERROR: ${e.error}\n`),
    },
  );
  const rest = slicer.flush();
  if (rest.length > 0) process.stdout.write(rest.map((r) => `${r.node}: ${r.line}\n`).join(""));
  finishStream(errors);
}
