import { posix } from "node:path";
import { createClient } from "@connectrpc/connect";
import { MachineService, type Process, type ProcessInfo } from "@talos/machinery/api";
import { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { columnize } from "../output/columnize.ts";
import { humanizeBytes } from "../output/go-format.ts";
import { callNodes, endpointHost, finishWithNodeErrors, replyNode, requireNodes } from "../transport/node-replies.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";

interface ProcessesFlags {
  readonly sort: string;
  readonly watch?: boolean;
}

function fields(s: string): string[] {
  return s.split(/\s+/).filter((f) => f !== "");
}

/** The COMMAND column: the command line with its first word replaced by the executable's path. */
export function processCommand(p: ProcessInfo): string {
  if (p.executable === "") return p.command;
  const argv0 = fields(p.args)[0];
  const exe = fields(p.executable)[0] ?? "";
  if (p.args !== "" && argv0 !== undefined && argv0 === posix.basename(exe))
    return p.args.replace(argv0, () => p.executable);
  return p.args;
}

/** Go's `%.2f` of the CPU time (talosctl then trims the padding away). */
function cpu(v: number): string {
  return v.toFixed(2);
}

/** The processes table as talosctl lays it out (columnize over `|`-separated lines), sorted by RSS or CPU. */
export function processesOutput(messages: readonly Process[], fallbackNode: string, sort: string): string {
  const lines = ["NODE | PID | STATE | THREADS | CPU-TIME | VIRTMEM | RESMEM | COMMAND"];
  for (const msg of messages) {
    const procs = [...msg.processes].sort((a, b) =>
      sort === "cpu" ? b.cpuTime - a.cpuTime : Number(b.residentMemory - a.residentMemory),
    );
    const node = replyNode(msg, fallbackNode);
    for (const p of procs) {
      lines.push(
        `${node} | ${p.pid} | ${p.state} | ${p.threads} | ${cpu(p.cpuTime)} | ` +
          `${humanizeBytes(p.virtualMemory)} | ${humanizeBytes(p.residentMemory)} | ${processCommand(p)}`,
      );
    }
  }
  return columnize(lines);
}

/** `talosctl processes [-s rss|cpu]` (alias `ps`): the processes of the nodes. */
export function registerProcesses(root: Command): void {
  root.addCommand(
    new Command("processes")
      .aliases(["p", "ps"])
      .description("List running processes")
      .option("-s, --sort <column>", "Column to sort output by. [rss|cpu]", "rss")
      .option("-w, --watch", "Stream running processes")
      .action(async (flags: ProcessesFlags, cmd: Command) => {
        if (flags.watch === true) throw new CliError("--watch is not supported by this talosctl yet");
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        const client = createClient(MachineService, conn.transport);
        const { ok, errors } = await callNodes("error getting processes", () =>
          client.processes({}, { headers: nodesHeaders(conn, nodes) }),
        );
        process.stdout.write(`${processesOutput(ok, endpointHost(conn), flags.sort)}\n`);
        finishWithNodeErrors(errors);
      }),
  );
}
