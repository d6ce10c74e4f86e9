import type { MessageInitShape } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { ConnectError, createClient } from "@connectrpc/connect";
import {
  type ApplyConfigurationRequestSchema,
  MachineService,
  ApplyConfigurationRequest_Mode as Mode,
} from "@talos/machinery/api";
import { applyPatches, decodeConfig, encodeConfig, isConfigError } from "@talos/machinery/config";
import { Command, Option } from "commander";
import { CliError } from "../cli/errors.ts";
import { collectList, collectRepeated } from "../cli/program.ts";
import { insecureConnections } from "../transport/insecure-transport.ts";
import { formatRpcError, toCliError } from "../transport/rpc-error.ts";
import { connect, nodeHeaders, type TalosConnection } from "../transport/talos-client.ts";
import { readUserFile } from "../util/files.ts";
import { resolvePatchFlags } from "../util/patches.ts";

const MODES: Record<string, Mode> = {
  auto: Mode.AUTO,
  reboot: Mode.REBOOT,
  "no-reboot": Mode.NO_REBOOT,
  staged: Mode.STAGED,
  try: Mode.TRY,
};

interface ApplyFlags {
  readonly file?: string;
  readonly mode: string;
  readonly dryRun?: boolean;
  readonly configPatch?: string[];
  readonly timeout: string;
  readonly insecure?: boolean;
  readonly certFingerprint?: string[];
}

/** `talosctl apply-config -f FILE [--mode M] [--dry-run] [-p PATCH]`: sends a machine config to nodes. */
export function registerApplyConfig(root: Command): void {
  root.addCommand(
    new Command("apply-config")
      .alias("apply")
      .description("Apply a new configuration to a node")
      .option("-f, --file <path>", "the filename of the updated configuration")
      .addOption(new Option("-m, --mode <mode>", "apply config mode").choices(Object.keys(MODES)).default("auto"))
      .option("--dry-run", "check how the config change will be applied in dry-run mode")
      .option(
        "-p, --config-patch <patch>",
        "the list of config patches to apply to the local config file before sending it to the node",
        collectRepeated,
      )
      .option(
        "--cert-fingerprint <fingerprints>",
        "list of server certificate fingeprints to accept (defaults to no check)",
        collectList,
      )
      .option("-i, --insecure", "apply the config using the insecure (encrypted with no auth) maintenance service")
      .option(
        "--timeout <duration>",
        "the config will be rolled back after specified timeout (if try mode is selected)",
        "1m",
      )
      .action(async (flags: ApplyFlags, cmd: Command) => {
        await runApply(cmd, flags);
      }),
  );
}

async function runApply(cmd: Command, flags: ApplyFlags): Promise<void> {
  if (flags.file === undefined || flags.file === "")
    throw new CliError("no filename supplied for configuration (--file)");
  let text = await readUserFile(flags.file, "--file");
  const patches = await resolvePatchFlags(flags.configPatch ?? [], "--config-patch");
  if (patches.length > 0) {
    try {
      text = encodeConfig(applyPatches(decodeConfig(text, flags.file), patches), { comments: "keep" });
    } catch (e) {
      if (isConfigError(e)) throw new CliError(e.message);
      throw e;
    }
  }
  const request = {
    data: new TextEncoder().encode(text),
    mode: MODES[flags.mode] ?? Mode.AUTO,
    dryRun: flags.dryRun === true,
    tryModeTimeout: durationFromMs(parseGoDuration(flags.timeout)),
  };
  if (flags.insecure === true) {
    // Maintenance mode: each node is its own endpoint, talked to directly, without node metadata.
    for (const conn of insecureConnections(cmd, flags.certFingerprint ?? [])) {
      await applyTo(conn, request, new Headers(conn.baseHeaders), "", true);
    }
    return;
  }
  const conn = await connect(cmd);
  const nodes = conn.nodes.length > 0 ? conn.nodes : [""];
  for (const node of nodes) await applyTo(conn, request, nodeHeaders(conn, node), node, false);
}

async function applyTo(
  conn: TalosConnection,
  request: MessageInitShape<typeof ApplyConfigurationRequestSchema>,
  headers: Headers,
  node: string,
  insecure: boolean,
): Promise<void> {
  const client = createClient(MachineService, conn.transport);
  try {
    const reply = await client.applyConfiguration(request, { headers });
    for (const m of reply.messages) {
      for (const w of m.warnings) process.stderr.write(`Warning: ${w}\n`);
      process.stdout.write(`${m.modeDetails}\n`);
    }
  } catch (e) {
    const what = `error applying new configuration${node !== "" ? ` to ${node}` : ""}`;
    // In maintenance mode there is no talosconfig certificate to blame: no TLS hint.
    if (insecure && e instanceof ConnectError) throw new CliError(`${what}: ${formatRpcError(e)}`);
    throw toCliError(e, what);
  }
}

/** Go duration text (`90s`, `1m`, `1m30s`, `500ms`) in milliseconds. */
export function parseGoDuration(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (units[m[2] ?? "s"] ?? 1000);
    consumed += m[0].length;
  }
  if (consumed !== text.length || text === "") {
    throw new CliError(`--timeout: invalid duration ${JSON.stringify(text)}, expected e.g. 1m or 90s`);
  }
  return total;
}
