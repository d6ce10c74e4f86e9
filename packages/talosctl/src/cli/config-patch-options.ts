import type { Command } from "commander";
import { collectRepeated } from "./program.ts";

/** Talos's three repeatable config patch flags (`gen config`, `cluster create`). */
export function addConfigPatchOptions(cmd: Command): Command {
  return cmd
    .option(
      "--config-patch <patch>",
      "patch generated machineconfigs (applied to all node types), use @file to read a patch from file",
      collectRepeated,
      [],
    )
    .option(
      "--config-patch-control-plane <patch>",
      "patch generated machineconfigs (applied to 'init' and 'controlplane' types)",
      collectRepeated,
      [],
    )
    .option(
      "--config-patch-worker <patch>",
      "patch generated machineconfigs (applied to 'worker' type)",
      collectRepeated,
      [],
    );
}
