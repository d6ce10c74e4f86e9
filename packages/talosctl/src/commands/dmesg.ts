import { createClient } from "@connectrpc/connect";
import { MachineService } from "@talos/machinery/api";
import { Command } from "commander";
import { endpointHost, requireNodes } from "../transport/node-replies.ts";
import { finishStream, readNodeStream } from "../transport/node-streams.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";

interface DmesgFlags {
  readonly follow?: boolean;
  readonly tail?: boolean;
}

/** `talosctl dmesg [-f] [--tail]`: the kernel log of each node, each message prefixed with its node. */
export function registerDmesg(root: Command): void {
  root.addCommand(
    new Command("dmesg")
      .description("Retrieve kernel logs")
      .option("-f, --follow", "specify if the kernel log should be streamed")
      .option("--tail", "specify if only new messages should be sent (makes sense only when combined with --follow)")
      .action(async (flags: DmesgFlags, cmd: Command) => {
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        const client = createClient(MachineService, conn.transport);
        const stream = client.dmesg(
          { follow: flags.follow === true, tail: flags.tail === true },
          { headers: nodesHeaders(conn, nodes) },
        );
        const decoder = new TextDecoder();
        const errors = await readNodeStream(stream, endpointHost(conn), (data, node) => {
          // Each item is one kernel message, newline included.
          if (data.bytes.length > 0) process.stdout.write(`${node}: ${decoder.decode(data.bytes)}`);
        });
        finishStream(errors);
      }),
  );
}
