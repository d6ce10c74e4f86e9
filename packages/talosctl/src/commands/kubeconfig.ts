import { mkdir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, normalize } from "node:path";
import { createInterface } from "node:readline/promises";
import { createClient } from "@connectrpc/connect";
import { MachineService } from "@talos/machinery/api";
import { Command } from "commander";
import { boolOption } from "../cli/bool-option.ts";
import { CliError } from "../cli/errors.ts";
import { goQuote } from "../output/go-format.ts";
import { extractFileFromTarGz } from "../output/tar.ts";
import { endpointHost, failIfMultiNodes, requireNodes } from "../transport/node-replies.ts";
import { readNodeStream, streamErrors } from "../transport/node-streams.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { writeFileAtomic } from "../util/files.ts";
import { type ConflictDecision, type KubeconfigComponent, mergeKubeconfig } from "./kubeconfig-merge.ts";

interface KubeconfigFlags {
  readonly force?: boolean;
  readonly forceContextName?: string;
  readonly merge: boolean;
}

/**
 * `talosctl kubeconfig [local-path] [--force] [--merge=true] [--force-context-name NAME]`: downloads the
 * admin kubeconfig from a control plane node and merges it into ~/.kube/config (or the given file), or
 * writes it out as is.
 */
export function registerKubeconfig(root: Command): void {
  root.addCommand(
    new Command("kubeconfig")
      .summary("Download the admin kubeconfig from the node")
      .description(
        "Download the admin kubeconfig from the node.\n" +
          "If merge flag is defined, config will be merged with ~/.kube/config or [local-path] if specified.\n" +
          "Otherwise kubeconfig will be written to PWD or [local-path] if specified.",
      )
      .argument("[local-path]")
      .option("-f, --force", "Force overwrite of kubeconfig if already present, force overwrite on kubeconfig merge")
      .option("--force-context-name <name>", "Force context name for kubeconfig merge")
      .addOption(boolOption("-m, --merge", "Merge with existing kubeconfig", true))
      .action(async (localPath: string | undefined, flags: KubeconfigFlags, cmd: Command) => {
        await runKubeconfig(cmd, localPath, flags);
      }),
  );
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError(`error checking path ${goQuote(path)}: ${(e as Error).message}`);
  }
}

/** Asks on the terminal, as talosctl does when stdout is one: `cluster "x" already exists [rename/overwrite]: `. */
async function askOverwriteOrRename(component: KubeconfigComponent, name: string): Promise<ConflictDecision> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    for (;;) {
      const answer = (await rl.question(`${component} ${goQuote(name)} already exists [rename/overwrite]: `))
        .trim()
        .toLowerCase();
      if (answer === "overwrite" || answer === "o") return "overwrite";
      if (answer === "rename" || answer === "r") return "rename";
    }
  } finally {
    rl.close();
  }
}

async function runKubeconfig(cmd: Command, pathArg: string | undefined, flags: KubeconfigFlags): Promise<void> {
  const conn = await connect(cmd);
  const nodes = requireNodes(conn);
  failIfMultiNodes(nodes, "kubeconfig");
  let merge = flags.merge;
  const force = flags.force === true;

  let localPath = pathArg ?? (merge ? join(homedir(), ".kube/config") : process.cwd());
  localPath = normalize(localPath);
  const st = await statOrUndefined(localPath);
  if (st === undefined) {
    await mkdir(dirname(localPath), { recursive: true, mode: 0o755 });
  } else if (st.isDirectory()) {
    // Only a directory was given: the file is `kubeconfig` in it.
    localPath = join(localPath, "kubeconfig");
  }
  const existing = await statOrUndefined(localPath);
  if (existing !== undefined && !(force || merge)) {
    throw new CliError(`kubeconfig file already exists, use --force to overwrite: ${goQuote(localPath)}`);
  }
  // Merging needs something to merge into.
  if (existing === undefined) merge = false;

  const client = createClient(MachineService, conn.transport);
  const chunks: Uint8Array[] = [];
  const errors = await readNodeStream(
    client.kubeconfig({}, { headers: nodesHeaders(conn, nodes) }),
    endpointHost(conn),
    (data) => {
      chunks.push(data.bytes);
    },
    { what: "error copying" },
  );
  if (errors.length > 0) throw streamErrors(errors);
  const data = extractFileFromTarGz(Buffer.concat(chunks), "kubeconfig");

  if (!merge) {
    await writeFileAtomic(localPath, data, { mode: 0o600, overwrite: true });
    return;
  }
  const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true;
  const result = await mergeKubeconfig(
    await readFile(localPath, "utf8"),
    Buffer.from(data).toString("utf8"),
    localPath,
    {
      activateContext: true,
      forceContextName: flags.forceContextName,
      onConflict: async (component, name) => {
        if (force) return "overwrite";
        if (!interactive) return "rename";
        return askOverwriteOrRename(component, name);
      },
    },
  );
  for (const m of result.messages) process.stdout.write(`${m}\n`);
  await writeFileAtomic(localPath, result.text, { mode: 0o600, overwrite: true });
}
