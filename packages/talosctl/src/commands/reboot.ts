import { createClient } from "@connectrpc/connect";
import { MachineService, RebootRequest_Mode } from "@talos/machinery/api";
import { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { callNodesOrFail, endpointHost, replyNode, requireNodes } from "../transport/node-replies.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { clientVersionCheck } from "../transport/version-check.ts";
import { addTrackActionFlags, waitNotImplementedNote, wantsWait } from "./flag-values.ts";

interface RebootFlags {
  readonly mode: string;
  readonly wait?: boolean;
  readonly debug?: boolean;
}

/** `talosctl reboot [--mode default|powercycle]`: asks the nodes to reboot. */
export function registerReboot(root: Command): void {
  root.addCommand(
    addTrackActionFlags(
      new Command("reboot")
        .description("Reboot a node")
        .option("-m, --mode <mode>", 'select the reboot mode: "default", "powercycle" (skips kexec)', "default"),
    ).action(async (flags: RebootFlags, cmd: Command) => {
      let mode: RebootRequest_Mode;
      switch (flags.mode) {
        case "powercycle":
          mode = RebootRequest_Mode.POWERCYCLE;
          break;
        case "default":
          mode = RebootRequest_Mode.DEFAULT;
          break;
        default:
          throw new CliError(`invalid reboot mode: ${JSON.stringify(flags.mode)}`);
      }
      const conn = await connect(cmd);
      const nodes = requireNodes(conn);
      const headers = nodesHeaders(conn, nodes);
      await clientVersionCheck(conn, headers);
      const client = createClient(MachineService, conn.transport);
      const ok = await callNodesOrFail("error executing reboot", () => client.reboot({ mode }, { headers }));
      if (wantsWait(flags)) {
        const actors = ok.map((m) => ({ node: replyNode(m, endpointHost(conn)), actorId: m.actorId }));
        process.stderr.write(waitNotImplementedNote("reboot", actors));
      }
    }),
  );
}
