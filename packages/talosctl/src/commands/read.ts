import { createClient } from "@connectrpc/connect";
import { MachineService } from "@talos/machinery/api";
import { Command } from "commander";
import { endpointHost, failIfMultiNodes, requireNodes } from "../transport/node-replies.ts";
import { finishStream, readNodeStream } from "../transport/node-streams.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";

/** `talosctl read <path>` (alias `cat`): a file of one node, written to stdout as it streams in. */
export function registerRead(root: Command): void {
  root.addCommand(
    new Command("read")
      .alias("cat")
      .description("Read a file on the machine")
      .argument("<path>")
      .action(async (path: string, _flags: unknown, cmd: Command) => {
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        failIfMultiNodes(nodes, "read");
        const client = createClient(MachineService, conn.transport);
        const errors = await readNodeStream(
          client.read({ path }, { headers: nodesHeaders(conn, nodes) }),
          endpointHost(conn),
          async (data) => {
            if (data.bytes.length === 0) return;
            if (!process.stdout.write(data.bytes)) {
              await new Promise<void>((resolve) => process.stdout.once("drain", resolve));
            }
          },
          { what: "error reading" },
        );
        finishStream(errors);
      }),
  );
}
