import { createClient } from "@connectrpc/connect";
import { MachineService, type Upgrade, UpgradeRequest_RebootMode } from "@talos/machinery/api";
import { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { goNowString } from "../output/go-format.ts";
import { insecureConnections } from "../transport/insecure-transport.ts";
import {
  callNodes,
  endpointHost,
  finishWithNodeErrors,
  type NodeError,
  replyNode,
  requireNodes,
} from "../transport/node-replies.ts";
import { connect, nodesHeaders, type TalosConnection } from "../transport/talos-client.ts";
import { clientVersionCheck } from "../transport/version-check.ts";
import { formatTable } from "../util/tab-writer.ts";
import { TALOSCTL_VERSION } from "../version.ts";
import { addTrackActionFlags, waitNotImplementedNote, wantsWait } from "./flag-values.ts";

interface UpgradeFlags {
  readonly image: string;
  readonly rebootMode: string;
  readonly preserve?: boolean;
  readonly stage?: boolean;
  readonly force?: boolean;
  readonly insecure?: boolean;
  readonly wait?: boolean;
  readonly debug?: boolean;
}

/** The installer image of this release: what `--image` defaults to. */
export const DEFAULT_INSTALLER_IMAGE = `ghcr.io/siderolabs/installer:${TALOSCTL_VERSION}`;

/** `talosctl upgrade --image ... [--stage] [--force] [--preserve]`: asks the nodes to upgrade Talos. */
export function registerUpgrade(root: Command): void {
  root.addCommand(
    addTrackActionFlags(
      new Command("upgrade")
        .description("Upgrade Talos on the target node")
        .option("-i, --image <image>", "the container image to use for performing the install", DEFAULT_INSTALLER_IMAGE)
        .option(
          "-m, --reboot-mode <mode>",
          'select the reboot mode during upgrade. Mode "powercycle" bypasses kexec. Valid values are: ["default" "powercycle"].',
          "default",
        )
        .option("-p, --preserve", "preserve data")
        .option("-s, --stage", "stage the upgrade to perform it after a reboot")
        .option("-f, --force", "force the upgrade (skip checks on etcd health and members, might lead to data loss)")
        .option("--insecure", "upgrade using the insecure (encrypted with no auth) maintenance service"),
    ).action(async (flags: UpgradeFlags, cmd: Command) => {
      await runUpgrade(cmd, flags);
    }),
  );
}

async function runUpgrade(cmd: Command, flags: UpgradeFlags): Promise<void> {
  const wait = wantsWait(flags);
  if (wait && flags.insecure === true) throw new CliError("cannot use --wait and --insecure together");
  const rebootMode = (UpgradeRequest_RebootMode as Record<string, UpgradeRequest_RebootMode>)[
    flags.rebootMode.toUpperCase()
  ];
  if (rebootMode === undefined) throw new CliError(`invalid reboot mode: ${flags.rebootMode}`);
  const request = {
    image: flags.image,
    rebootMode,
    preserve: flags.preserve === true,
    stage: flags.stage === true,
    force: flags.force === true,
  };
  const send = async (conn: TalosConnection, headers: Headers) => {
    const client = createClient(MachineService, conn.transport);
    return callNodes("error performing upgrade", () => client.upgrade(request, { headers }));
  };

  const results: { ok: Upgrade[]; errors: NodeError[]; fallback: string }[] = [];
  if (flags.insecure === true) {
    for (const conn of insecureConnections(cmd)) {
      results.push({ ...(await send(conn, new Headers(conn.baseHeaders))), fallback: endpointHost(conn) });
    }
  } else {
    const conn = await connect(cmd);
    const nodes = requireNodes(conn);
    const headers = nodesHeaders(conn, nodes);
    await clientVersionCheck(conn, headers);
    results.push({ ...(await send(conn, headers)), fallback: endpointHost(conn) });
  }
  const errors = results.flatMap((r) => r.errors);
  if (wait) {
    const actors = results.flatMap((r) => r.ok.map((m) => ({ node: replyNode(m, r.fallback), actorId: m.actorId })));
    process.stderr.write(waitNotImplementedNote("upgrade", actors));
    finishWithNodeErrors(errors);
    return;
  }
  // As talosctl prints it: the start time is the client's clock (time.Now()), the STARTED cell tab-terminated.
  const rows = [["NODE", "ACK", "STARTED"]];
  for (const r of results) for (const m of r.ok) rows.push([replyNode(m, r.fallback), m.ack, goNowString(), ""]);
  process.stdout.write(formatTable(rows));
  finishWithNodeErrors(errors);
}
