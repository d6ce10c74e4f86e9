import { createClient } from "@connectrpc/connect";
import { MachineService, type Mounts } from "@talos/machinery/api";
import { Command } from "commander";
import { callNodes, endpointHost, finishWithNodeErrors, replyNode, requireNodes } from "../transport/node-replies.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { formatTable } from "../util/tab-writer.ts";

/**
 * The mounts table: sizes in GB (10^9 bytes) with two decimals, the used share as `NN.NN%`; filesystems
 * without a size are left out.
 */
export function mountsTable(messages: readonly Mounts[], fallbackNode: string): string {
  const rows = [["NODE", "FILESYSTEM", "SIZE(GB)", "USED(GB)", "AVAILABLE(GB)", "PERCENT USED", "MOUNTED ON"]];
  for (const msg of messages) {
    for (const r of msg.stats) {
      const size = Number(r.size);
      const available = Number(r.available);
      const percent = 100 - 100 * (available / size);
      if (Number.isNaN(percent)) continue;
      rows.push([
        replyNode(msg, fallbackNode),
        r.filesystem,
        (size * 1e-9).toFixed(2),
        (Number(r.size - r.available) * 1e-9).toFixed(2),
        (available * 1e-9).toFixed(2),
        `${goFloat2(percent)}%`,
        r.mountedOn,
      ]);
    }
  }
  return formatTable(rows);
}

/** Go's `%.02f`, including its spelling of infinities. */
function goFloat2(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return v.toFixed(2);
}

/** `talosctl mounts`: the mounted filesystems of the nodes and their usage. */
export function registerMounts(root: Command): void {
  root.addCommand(
    new Command("mounts").description("List mounts").action(async (_flags: unknown, cmd: Command) => {
      const conn = await connect(cmd);
      const nodes = requireNodes(conn);
      const client = createClient(MachineService, conn.transport);
      const { ok, errors } = await callNodes("error getting interfaces", () =>
        client.mounts({}, { headers: nodesHeaders(conn, nodes) }),
      );
      process.stdout.write(mountsTable(ok, endpointHost(conn)));
      finishWithNodeErrors(errors);
    }),
  );
}
