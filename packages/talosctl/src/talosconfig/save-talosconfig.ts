import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { encodeTalosConfig, type TalosConfig } from "@talos/machinery/client-config";
import { CliError, errorMessage } from "../cli/errors.ts";
import { writeFileAtomic } from "../util/files.ts";
import type { TalosconfigLocation } from "./locate-talosconfig.ts";

/**
 * Writes a talosconfig atomically with mode 0600, creating its directory with mode 0700 when missing.
 *
 * @throws {CliError} when the location is read-only or the write fails.
 */
export async function saveTalosconfig(location: TalosconfigLocation, config: TalosConfig): Promise<void> {
  if (!location.writeAllowed)
    throw new CliError(`error writing config: not allowed to write to config: ${location.path}`);
  try {
    await mkdir(dirname(location.path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(location.path, encodeTalosConfig(config), { mode: 0o600, overwrite: true });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`error writing config: ${location.path}: ${errorMessage(e)}`);
  }
}
