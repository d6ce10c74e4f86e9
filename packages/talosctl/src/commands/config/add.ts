import { readFile } from "node:fs/promises";
import { type TalosContext, withContext } from "@talos/machinery/client-config";
import { Command } from "commander";
import { CliError } from "../../cli/errors.ts";
import { openTalosconfig, saveTalosconfig } from "../../talosconfig/index.ts";
import { readFailureReason } from "../../util/files.ts";

interface AddFlags {
  readonly ca?: string;
  readonly crt?: string;
  readonly key?: string;
}

/**
 * `talosctl config add <context> [--ca <file>] [--crt <file> --key <file>]`: adds (or replaces) a context
 * holding the given files base64-encoded. It has no endpoints yet and does not become the current context.
 */
export function registerConfigAdd(parent: Command): void {
  parent.addCommand(
    new Command("add")
      .description("Add a new context")
      .argument("<context>")
      .option("--ca <path>", "the path to the CA certificate")
      .option("--crt <path>", "the path to the certificate")
      .option("--key <path>", "the path to the key")
      .action(async (name: string, flags: AddFlags, cmd: Command) => {
        if (name === "") throw new CliError("no context specified");
        const loaded = await openTalosconfig(cmd);
        const context: { -readonly [K in keyof TalosContext]: TalosContext[K] } = { endpoints: [] };
        if (flags.ca !== undefined && flags.ca !== "") context.ca = await readBase64(flags.ca, "CA");
        const crt = flags.crt ?? "";
        const key = flags.key ?? "";
        if (crt !== "" || key !== "") {
          if (crt === "" || key === "") {
            throw new CliError("if either the 'crt' or 'key' flag is specified, both are required");
          }
          context.crt = await readBase64(crt, "certificate");
          context.key = await readBase64(key, "key");
        }
        await saveTalosconfig(loaded.location, {
          ...loaded.config,
          contexts: withContext(loaded.config.contexts, name, context),
        });
      }),
  );
}

async function readBase64(path: string, what: string): Promise<string> {
  try {
    return (await readFile(path)).toString("base64");
  } catch (e) {
    throw new CliError(`error reading ${what}: ${path}: ${readFailureReason(e)}`);
  }
}
