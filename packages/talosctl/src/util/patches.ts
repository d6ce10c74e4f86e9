import { isConfigError, loadPatches, type Patch, type PatchInput } from "@talos/machinery/config";
import { CliError } from "../cli/errors.ts";
import { readUserFile } from "./files.ts";

/**
 * Resolves the values of a repeatable patch flag (`--config-patch`, `--patch`, ...) into loaded patches, as
 * talosctl does: `@file` reads the file, anything else is the patch itself. Patches keep their order and
 * consecutive JSON patches are concatenated. Messages name the file (`@worker1.patch`) or the flag.
 *
 * @throws {CliError} when a file cannot be read or a patch cannot be loaded.
 */
export async function resolvePatchFlags(values: readonly string[], flagName: string): Promise<Patch[]> {
  const inputs: PatchInput[] = [];
  for (const [i, value] of values.entries()) {
    if (value.startsWith("@")) {
      inputs.push({ text: await readUserFile(value.slice(1), flagName), source: value });
    } else {
      inputs.push({ text: value, source: values.length > 1 ? `${flagName} #${i + 1}` : flagName });
    }
  }
  try {
    return loadPatches(inputs);
  } catch (e) {
    if (isConfigError(e)) throw new CliError(e.message);
    throw e;
  }
}
