import { Command, Option } from "commander";

/** Global flags every talosctl command accepts, as Talos defines them. */
export interface GlobalOptions {
  readonly talosconfig?: string;
  readonly context?: string;
  readonly nodes: string[];
  readonly endpoints: string[];
  readonly cluster?: string;
}

/** Collects a repeatable, comma-separated list flag (`-n a,b -n c`), like cobra's StringSlice. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return [...(previous ?? []), ...items];
}

/** Collects a repeatable flag without splitting (`--config-patch` values may contain commas). */
export function collectRepeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function createRootCommand(version: string): Command {
  const root = new Command("talosctl")
    .description("A CLI for out-of-band management of Kubernetes nodes created by Talos")
    .version(version, "--client-version", "print the talosctl version")
    .addOption(new Option("--talosconfig <path>", "the path to the Talos configuration file").env("TALOSCONFIG"))
    .option("--context <name>", "context to be used in command")
    .option("-n, --nodes <nodes>", "target the specified nodes (comma-separated or repeated)", collectList)
    .option("-e, --endpoints <endpoints>", "override default endpoints in Talos configuration", collectList)
    .option("--cluster <name>", "cluster to connect to if a proxy endpoint is used")
    .showHelpAfterError(false)
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: true });
  return root;
}

/** Reads the global flags from any (sub)command. */
export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as Partial<GlobalOptions>;
  return {
    talosconfig: o.talosconfig,
    context: o.context,
    nodes: o.nodes ?? [],
    endpoints: o.endpoints ?? [],
    cluster: o.cluster,
  };
}
