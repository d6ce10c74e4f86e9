import { readFile } from "node:fs/promises";
import { decodeTalosConfig, emptyTalosConfig, type TalosConfig } from "@talos/machinery/client-config";
import { isConfigError } from "@talos/machinery/config";
import { CliError } from "../cli/errors.ts";
import type { TalosconfigLocation } from "./locate-talosconfig.ts";

/** A talosconfig read from disk, with where it came from (and goes back to on save). */
export interface LoadedTalosconfig {
  readonly config: TalosConfig;
  readonly location: TalosconfigLocation;
  /** False when the file does not exist yet (the config is then empty). */
  readonly exists: boolean;
}

/**
 * Reads and strictly decodes the talosconfig at `location`. A missing file is an empty config.
 *
 * @throws {CliError} naming the file when it cannot be read or is malformed.
 */
export async function loadTalosconfig(location: TalosconfigLocation): Promise<LoadedTalosconfig> {
  let text: string;
  try {
    text = await readFile(location.path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { config: emptyTalosConfig(), location, exists: false };
    throw new CliError(`error reading config: ${location.path}: ${describeReadError(e)}`);
  }
  return { config: parseTalosconfig(text, location.path), location, exists: true };
}

/**
 * Decodes talosconfig text read from `path`.
 *
 * @throws {CliError} `error reading config: <path>: invalid talosconfig:` followed by every problem.
 */
export function parseTalosconfig(text: string, path: string): TalosConfig {
  try {
    return decodeTalosConfig(text, path);
  } catch (e) {
    if (isConfigError(e)) throw new CliError(`error reading config: ${e.message}`);
    throw e;
  }
}

function describeReadError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory, expected a talosconfig file";
  return (e as Error).message;
}
