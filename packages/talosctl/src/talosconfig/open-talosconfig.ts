import { isTalosContextError, type SelectedContext, selectContext } from "@talos/machinery/client-config";
import type { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { globalOptions } from "../cli/program.ts";
import { type LoadedTalosconfig, loadTalosconfig } from "./load-talosconfig.ts";
import { locateTalosconfig } from "./locate-talosconfig.ts";

/**
 * The `--talosconfig` path when given on the command line. A value commander took from `$TALOSCONFIG` does
 * not count: that one is only the first default path (the next ones are tried when it does not exist).
 */
export function talosconfigFlag(cmd: Command): string | undefined {
  const source = cmd.getOptionValueSourceWithGlobals("talosconfig");
  return source === "cli" ? globalOptions(cmd).talosconfig : undefined;
}

/** Locates and loads the talosconfig the global flags and environment point at. */
export async function openTalosconfig(cmd: Command): Promise<LoadedTalosconfig> {
  return loadTalosconfig(await locateTalosconfig({ flag: talosconfigFlag(cmd) }));
}

/**
 * The context a command works with: `--context` when given, else the current one.
 *
 * @throws {CliError} naming the file and the known contexts when there is none by that name.
 */
export function commandContext(loaded: LoadedTalosconfig, cmd: Command): SelectedContext {
  return selectLoadedContext(loaded, globalOptions(cmd).context);
}

/** {@link selectContext} on a loaded file, with a {@link CliError} naming it. */
export function selectLoadedContext(loaded: LoadedTalosconfig, name: string | undefined): SelectedContext {
  try {
    return selectContext(loaded.config, name, loaded.location.path);
  } catch (e) {
    if (isTalosContextError(e)) throw new CliError(e.message);
    throw e;
  }
}
