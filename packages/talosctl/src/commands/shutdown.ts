import { createClient } from "@connectrpc/connect";
import { MachineService } from "@talos/machinery/api";
import { Command } from "commander";
import { callNodesOrFail, endpointHost, replyNode, requireNodes } from "../transport/node-replies.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { clientVersionCheck } from "../transport/version-check.ts";
import { addTrackActionFlags, waitNotImplementedNote, wantsWait } from "./flag-values.ts";

interface ShutdownFlags {
  readonly force?: boolean;
  readonly wait?: boolean;
  readonly debug?: boolean;
}

/** `talosctl shutdown [--force]`: asks the nodes to shut down (cordon/drain first unless forced). */
export function registerShutdown(root: Command): void {
  root.addCommand(
    addTrackActionFlags(
      new Command("shutdown")
        .description("Shutdown a node")
        .option("--force", "if true, force a node to shutdown without a cordon/drain"),
    ).action(async (flags: ShutdownFlags, cmd: Command) => {
      const conn = await connect(cmd);
      const nodes = requireNodes(conn);
      const headers = nodesHeaders(conn, nodes);
      await clientVersionCheck(conn, headers);
      const client = createClient(MachineService, conn.transport);
      const ok = await callNodesOrFail("error executing shutdown", () =>
        client.shutdown({ force: flags.force === true }, { headers }),
      );
      if (wantsWait(flags)) {
        const actors = ok.map((m) => ({ node: replyNode(m, endpointHost(conn)), actorId: m.actorId }));
        process.stderr.write(waitNotImplementedNote("shutdown", actors));
      }
    }),
  );
}
