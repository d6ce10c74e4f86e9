import { createInterface } from "node:readline";
import { compareBytewise, withoutContexts } from "@talos/machinery/client-config";
import { Command } from "commander";
import { CliError } from "../../cli/errors.ts";
import { openTalosconfig, saveTalosconfig } from "../../talosconfig/index.ts";

interface RemoveFlags {
  readonly noconfirm?: boolean;
  readonly dryRun?: boolean;
}

/**
 * `talosctl config remove <pattern>...`: removes the contexts whose names match the patterns (`*` matches
 * any run of characters), asking `remove context "x"? (y/N):` for each unless `-y/--noconfirm`. The current
 * context is never removed. The file is rewritten only when something was removed (and not with `--dry-run`).
 */
export function registerConfigRemove(parent: Command): void {
  parent.addCommand(
    new Command("remove")
      .description("Remove contexts")
      .argument("<context...>", "context names or patterns with * wildcards")
      .option("-y, --noconfirm", "do not ask for confirmation")
      .option("--dry-run", "dry run")
      .action(async (patterns: string[], flags: RemoveFlags, cmd: Command) => {
        if (patterns.some((p) => p === "")) throw new CliError("no context specified");
        const loaded = await openTalosconfig(cmd);
        const { config } = loaded;
        const names = Object.keys(config.contexts);
        if (names.length === 0) throw new CliError(`no contexts defined in ${loaded.location.path}`);
        const matches = names.filter((n) => patterns.some((p) => globMatch(p, n))).sort(compareBytewise);
        if (matches.length === 0) {
          throw new CliError(`no contexts matched ${patterns.map((p) => JSON.stringify(p)).join(", ")}`);
        }
        const removed: string[] = [];
        const answers = flags.noconfirm === true ? undefined : stdinLines();
        try {
          for (const match of matches) {
            if (match === config.context) {
              process.stderr.write(
                `skipping removal of current context ${JSON.stringify(match)}, please change it to another before removing\n`,
              );
              continue;
            }
            if (answers !== undefined) {
              process.stdout.write(`remove context ${JSON.stringify(match)}? (y/N): `);
              if (!isYes(await answers.next())) continue;
            } else {
              process.stderr.write(`removing context ${JSON.stringify(match)}\n`);
            }
            removed.push(match);
          }
        } finally {
          answers?.close();
        }
        if (flags.dryRun === true || removed.length === 0) return;
        await saveTalosconfig(loaded.location, { ...config, contexts: withoutContexts(config.contexts, removed) });
      }),
  );
}

/** The glob match talosctl uses (github.com/ryanuber/go-glob): only `*` is special. */
export function globMatch(pattern: string, subject: string): boolean {
  if (pattern === "") return subject === pattern;
  if (pattern === "*") return true;
  const parts = pattern.split("*");
  if (parts.length === 1) return subject === pattern;
  const leading = pattern.startsWith("*");
  const trailing = pattern.endsWith("*");
  const end = parts.length - 1;
  let rest = subject;
  for (let i = 0; i < end; i++) {
    const part = parts[i] ?? "";
    const idx = rest.indexOf(part);
    if (i === 0 ? !leading && idx !== 0 : idx < 0) return false;
    rest = rest.slice(idx + part.length);
  }
  return trailing || rest.endsWith(parts[end] ?? "");
}

/** Only `y` and `yes` (any case) confirm; the first word of the line counts. */
function isYes(line: string | undefined): boolean {
  const word = (line ?? "").trim().split(/\s+/)[0] ?? "";
  return ["y", "yes"].includes(word.toLowerCase());
}

/** Reads stdin one line per call; `undefined` at end of input. */
function stdinLines(): { next: () => Promise<string | undefined>; close: () => void } {
  let rl: ReturnType<typeof createInterface> | undefined;
  let it: AsyncIterator<string> | undefined;
  return {
    next: async () => {
      if (rl === undefined) {
        rl = createInterface({ input: process.stdin, terminal: false });
        it = rl[Symbol.asyncIterator]();
      }
      const r = await it!.next();
      return r.done === true ? undefined : r.value;
    },
    close: () => rl?.close(),
  };
}
