import {
  assertValidConfig,
  decodeConfig,
  formatIssue,
  isConfigError,
  type ValidationMode,
} from "@talos/machinery/config";
import { Command, Option } from "commander";
import { CliError } from "../cli/errors.ts";
import { readUserFile } from "../util/files.ts";

const MODES: readonly ValidationMode[] = ["metal", "cloud", "container"];

interface ValidateFlags {
  readonly config: string;
  readonly mode: string;
  readonly strict?: boolean;
}

/**
 * `talosctl validate`: checks a machine config file offline, as Talos would for the given runtime mode.
 * Warnings go to stderr; any error exits 1.
 */
export function registerValidate(root: Command): void {
  root.addCommand(
    new Command("validate")
      .description("Validate config")
      .addOption(new Option("-c, --config <path>", "the path of the config file").makeOptionMandatory())
      .addOption(
        new Option(
          "-m, --mode <mode>",
          "the mode to validate the config for (valid values are metal, cloud, and container)",
        ).makeOptionMandatory(),
      )
      .option("--strict", "treat validation warnings as errors")
      .action(async (flags: ValidateFlags) => runValidate(flags)),
  );
}

async function runValidate(flags: ValidateFlags): Promise<void> {
  const mode = MODES.find((m) => m === flags.mode);
  if (mode === undefined) throw new CliError(`unknown runtime mode: ${JSON.stringify(flags.mode)}`);
  const text = await readUserFile(flags.config, "--config");
  try {
    const config = decodeConfig(text, flags.config);
    const warnings = assertValidConfig(config, { mode, local: true, strict: flags.strict === true }, flags.config);
    for (const w of warnings) process.stderr.write(`WARNING: ${formatIssue(w)}\n`);
  } catch (e) {
    if (isConfigError(e)) throw new CliError(e.message);
    throw e;
  }
  process.stdout.write(`${flags.config} is valid for ${mode} mode\n`);
}
