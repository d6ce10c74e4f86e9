#!/usr/bin/env node
// reflect-metadata must load before @peculiar/x509 (its DI container checks for it at import time).
import "reflect-metadata";
import { enableCompileCache } from "node:module";
import { Command } from "commander";
import { createRootCommand } from "./cli/program.ts";
import { runCli } from "./cli/run.ts";
import { commandEntries, findCommandEntry, findCommandName } from "./commands/registry.ts";
import { TALOSCTL_VERSION } from "./version.ts";

/**
 * Builds the talosctl program for an argv. Only the command being run is loaded (its module graph can be
 * large: PKI, YAML, gRPC); the others appear in help as name and description.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const root = createRootCommand(TALOSCTL_VERSION);
  const selected = findCommandEntry(findCommandName(argv));
  for (const entry of commandEntries) {
    if (entry === selected) {
      (await entry.load())(root);
    } else {
      root.addCommand(
        new Command(entry.name)
          .aliases([...(entry.aliases ?? [])])
          .description(entry.description)
          .allowUnknownOption()
          .allowExcessArguments(),
      );
    }
  }
  return root;
}

/** Every command fully loaded: for tests that walk the whole command tree. */
export async function buildFullProgram(): Promise<Command> {
  const root = createRootCommand(TALOSCTL_VERSION);
  for (const entry of commandEntries) (await entry.load())(root);
  return root;
}

if (import.meta.main) {
  // Command modules are loaded after this point; V8 keeps their compiled code between runs (in the OS temp dir).
  enableCompileCache();
  const argv = process.argv.slice(2);
  process.exitCode = await runCli(await buildProgram(argv), argv);
}
