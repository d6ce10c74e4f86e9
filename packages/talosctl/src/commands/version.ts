import { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { TALOSCTL_SHA, TALOSCTL_VERSION } from "../version.ts";

interface VersionFlags {
  readonly client?: boolean;
  readonly short?: boolean;
  readonly insecure?: boolean;
}

/** `talosctl version [--client] [--short]`: the client's version and, from the nodes, the servers'. */
export function registerVersion(root: Command): void {
  root.addCommand(
    new Command("version")
      .description("Prints the version")
      .option("--client", "Print client version only")
      .option("--short", "Print the short version")
      .option("-i, --insecure", "use Talos maintenance mode API")
      .action((flags: VersionFlags) => {
        process.stdout.write(formatClientVersion(flags.short === true));
        if (flags.client !== true) {
          throw new CliError(
            "querying the server version needs the Talos API client, which is not part of this build yet",
          );
        }
      }),
  );
}

/** The `Client:` block, laid out as talosctl prints it. */
export function formatClientVersion(short: boolean): string {
  if (short) return `Client:\n\tTalos ${TALOSCTL_VERSION}\n`;
  return (
    "Client:\n" +
    `\tTag:         ${TALOSCTL_VERSION}\n` +
    `\tSHA:         ${TALOSCTL_SHA}\n` +
    "\tBuilt:       \n" +
    `\tRuntime:     node ${process.version}\n` +
    `\tOS/Arch:     ${process.platform}/${process.arch === "x64" ? "amd64" : process.arch}\n`
  );
}
