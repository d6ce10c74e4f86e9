import { createClient } from "@connectrpc/connect";
import { type Time, TimeService } from "@talos/machinery/api";
import { Command } from "commander";
import { goTimeStringUTC } from "../output/go-format.ts";
import { callNodes, endpointHost, finishWithNodeErrors, replyNode, requireNodes } from "../transport/node-replies.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { formatTable } from "../util/tab-writer.ts";

/** `NODE NTP-SERVER MACHINE-TIME NTP-SERVER-TIME`, times as Go's time.Time prints them. */
export function timeTable(messages: readonly Time[], fallbackNode: string): string {
  const rows = [["NODE", "NTP-SERVER", "MACHINE-TIME", "NTP-SERVER-TIME"]];
  for (const msg of messages) {
    rows.push([
      replyNode(msg, fallbackNode),
      msg.server,
      goTimeStringUTC(msg.localtime),
      goTimeStringUTC(msg.remotetime),
    ]);
  }
  return formatTable(rows);
}

/** `talosctl time [--check server]`: the nodes' clocks against their NTP server (or the given one). */
export function registerTime(root: Command): void {
  root.addCommand(
    new Command("time")
      .usage("[--check server] [flags]")
      .description("Gets current server time")
      .option("-c, --check <server>", "checks server time against specified ntp server")
      .action(async (flags: { check?: string }, cmd: Command) => {
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        const client = createClient(TimeService, conn.transport);
        const headers = nodesHeaders(conn, nodes);
        const server = flags.check ?? "";
        const { ok, errors } = await callNodes("error fetching time", () =>
          server === "" ? client.time({}, { headers }) : client.timeCheck({ server }, { headers }),
        );
        process.stdout.write(timeTable(ok, endpointHost(conn)));
        finishWithNodeErrors(errors);
      }),
  );
}
