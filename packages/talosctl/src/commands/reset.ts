import { createClient } from "@connectrpc/connect";
import { MachineService, type Reset, ResetRequest_WipeMode } from "@talos/machinery/api";
import { Command, InvalidArgumentError, Option } from "commander";
import { boolOption } from "../cli/bool-option.ts";
import { collectList } from "../cli/program.ts";
import { insecureConnections } from "../transport/insecure-transport.ts";
import { callNodesOrFail, endpointHost, replyNode, requireNodes } from "../transport/node-replies.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { clientVersionCheck } from "../transport/version-check.ts";
import { addTrackActionFlags, waitNotImplementedNote, wantsWait } from "./flag-values.ts";

const WIPE_MODES: Record<string, ResetRequest_WipeMode> = {
  all: ResetRequest_WipeMode.ALL,
  "system-disk": ResetRequest_WipeMode.SYSTEM_DISK,
  "user-disks": ResetRequest_WipeMode.USER_DISKS,
};

/** `--wipe-mode` values, as Talos's WipeMode flag type checks them. */
export function parseWipeMode(value: string): ResetRequest_WipeMode {
  const mode = WIPE_MODES[value];
  if (mode === undefined) {
    throw new InvalidArgumentError(`possible options are: ${Object.keys(WIPE_MODES).sort().join(", ")}`);
  }
  return mode;
}

interface ResetFlags {
  readonly graceful: boolean;
  readonly reboot?: boolean;
  readonly insecure?: boolean;
  readonly wipeMode: ResetRequest_WipeMode;
  readonly systemLabelsToWipe?: string[];
  readonly userDisksToWipe?: string[];
  readonly wait?: boolean;
  readonly debug?: boolean;
}

/**
 * `talosctl reset [--graceful=true] [--reboot] [--system-labels-to-wipe L,...] [--wipe-mode M]
 * [--user-disks-to-wipe D,...]`: asks the nodes to wipe themselves and shut down (or reboot).
 */
export function registerReset(root: Command): void {
  root.addCommand(
    addTrackActionFlags(
      new Command("reset")
        .description("Reset a node")
        .addOption(
          boolOption("--graceful", "if true, attempt to cordon/drain node and leave etcd (if applicable)", true),
        )
        .option("--insecure", "reset using the insecure (encrypted with no auth) maintenance service")
        .option("--reboot", "if true, reboot the node after resetting instead of shutting down")
        .option(
          "--system-labels-to-wipe <labels>",
          "if set, just wipe selected system disk partitions by label but keep other partitions intact",
          collectList,
        )
        .option("--user-disks-to-wipe <disks>", "if set, wipes defined devices in the list", collectList)
        .addOption(
          new Option("--wipe-mode <all, system-disk, user-disks>", "disk reset mode")
            .argParser(parseWipeMode)
            .default(ResetRequest_WipeMode.ALL, "all"),
        ),
    ).action(async (flags: ResetFlags, cmd: Command) => {
      const request = {
        graceful: flags.graceful,
        reboot: flags.reboot === true,
        systemPartitionsToWipe: (flags.systemLabelsToWipe ?? []).map((label) => ({ label, wipe: true })),
        userDisksToWipe: flags.userDisksToWipe ?? [],
        mode: flags.wipeMode,
      };
      const actors: { node: string; actorId: string }[] = [];
      const collect = (ok: Reset[], fallback: string) => {
        for (const m of ok) actors.push({ node: replyNode(m, fallback), actorId: m.actorId });
      };
      if (flags.insecure === true) {
        for (const conn of insecureConnections(cmd)) {
          const client = createClient(MachineService, conn.transport);
          collect(
            await callNodesOrFail("error executing reset", () =>
              client.reset(request, { headers: new Headers(conn.baseHeaders) }),
            ),
            endpointHost(conn),
          );
        }
      } else {
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        const headers = nodesHeaders(conn, nodes);
        await clientVersionCheck(conn, headers);
        const client = createClient(MachineService, conn.transport);
        collect(
          await callNodesOrFail("error executing reset", () => client.reset(request, { headers })),
          endpointHost(conn),
        );
      }
      if (wantsWait(flags)) process.stderr.write(waitNotImplementedNote("reset", actors));
    }),
  );
}
