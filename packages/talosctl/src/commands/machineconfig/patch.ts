import { applyPatches, decodeConfig, encodeConfig, isConfigError } from "@talos/machinery/config";
import { Command } from "commander";
import { CliError } from "../../cli/errors.ts";
import { collectRepeated } from "../../cli/program.ts";
import { readUserFile, writeFileAtomic } from "../../util/files.ts";
import { resolvePatchFlags } from "../../util/patches.ts";

interface PatchFlags {
  readonly patch?: string[];
  readonly output?: string;
}

/**
 * `talosctl machineconfig patch <file> -p <patch>... [-o <out>]`: applies patches to a machine config file
 * offline. The result goes to stdout, or replaces `-o` atomically (Talos overwrites an existing file).
 */
export function registerMachineConfigPatch(parent: Command): void {
  parent.addCommand(
    new Command("patch")
      .description("Patch a machine config")
      .argument("<machineconfig-file>")
      .option(
        "-p, --patch <patch>",
        "patch generated machineconfigs (applied to all node types), use @file to read a patch from file",
        collectRepeated,
      )
      .option("-o, --output <path>", "output destination. if not specified, output will be printed to stdout")
      .action(async (file: string, flags: PatchFlags) => {
        await runPatch(file, flags);
      }),
  );
}

async function runPatch(file: string, flags: PatchFlags): Promise<void> {
  const text = await readUserFile(file, "machine config");
  const patches = await resolvePatchFlags(flags.patch ?? [], "--patch");
  let out: string;
  try {
    out = encodeConfig(applyPatches(decodeConfig(text, file), patches), { comments: "keep" });
  } catch (e) {
    if (isConfigError(e)) throw new CliError(e.message);
    throw e;
  }
  if (flags.output === undefined || flags.output === "") {
    process.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
    return;
  }
  await writeFileAtomic(flags.output, out, { overwrite: true, mode: 0o644 });
}
