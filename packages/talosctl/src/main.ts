#!/usr/bin/env node
// reflect-metadata must load before @peculiar/x509 (its DI container checks for it at import time).
import "reflect-metadata";
import type { Command } from "commander";
import { createRootCommand } from "./cli/program.ts";
import { runCli } from "./cli/run.ts";
import { registerConfig } from "./commands/config/index.ts";
import { registerGen } from "./commands/gen/index.ts";
import { registerMachineConfig } from "./commands/machineconfig/index.ts";
import { registerValidate } from "./commands/validate.ts";
import { TALOSCTL_VERSION } from "./version.ts";

/** The one registration list of talosctl commands; each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const root = createRootCommand(TALOSCTL_VERSION);
  registerGen(root);
  registerConfig(root);
  registerMachineConfig(root);
  registerValidate(root);
  return root;
}

if (import.meta.main) {
  process.exitCode = await runCli(buildProgram(), process.argv.slice(2));
}
