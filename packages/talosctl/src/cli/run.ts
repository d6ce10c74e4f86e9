import type { Command } from "commander";
import { CommanderError } from "commander";
import { CliError, errorMessage } from "./errors.ts";

/** Output sinks, injectable so tests can run commands in-process. */
export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

export const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

/**
 * Parses argv and runs the command. Returns the exit code: 0 on success, 1 on any error, with the error
 * printed as `error: <message>` (commander's own usage errors keep their wording).
 */
export async function runCli(program: Command, argv: readonly string[], io: Io = processIo): Promise<number> {
  program.exitOverride();
  program.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const sub of allCommands(program)) {
    sub.exitOverride();
    sub.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version requests end through here with exit code 0; usage errors were already printed.
      return e.exitCode;
    }
    io.stderr(`error: ${errorMessage(e)}\n`);
    if (!(e instanceof CliError) && process.env["TALOSCTL_DEBUG"] === "1" && e instanceof Error) {
      io.stderr(`${e.stack ?? ""}\n`);
    }
    return e instanceof CliError ? e.exitCode : 1;
  }
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}
