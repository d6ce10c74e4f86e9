// Flag value parsers with Go's rules (cobra int32 and duration flags) and the `--wait/--debug/--timeout`
// trio of talosctl's lifecycle commands.
import { type Command, InvalidArgumentError, Option } from "commander";
import { boolOption } from "../cli/bool-option.ts";

/** A cobra int32 flag value (`strconv.ParseInt(s, 0, 32)`: decimal, 0x/0o/0b prefixes, a sign). */
export function parseInt32(value: string): number {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9_]+)$/.exec(value);
  if (m === null) throw new InvalidArgumentError(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  const body = (m[2] ?? "").replaceAll("_", "");
  let n: number;
  if (/^0[xX]/.test(body)) n = Number.parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) n = Number.parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) n = Number.parseInt(body.slice(2), 8);
  else if (/^0[0-7]+$/.test(body)) n = Number.parseInt(body.slice(1), 8);
  else n = Number.parseInt(body, 10);
  if (m[1] === "-") n = -n;
  if (!Number.isSafeInteger(n) || n > 2147483647 || n < -2147483648) {
    throw new InvalidArgumentError(`strconv.ParseInt: parsing ${JSON.stringify(value)}: value out of range`);
  }
  return n;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  // micro sign and Greek mu, escaped: the bundles stay ASCII (see hack/build.ts)
  "\u00b5s": 1e-3,
  "\u03bcs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go duration (`time.ParseDuration`: `90s`, `1m30s`, `1.5h`, `-5m`, `0`) in milliseconds. */
export function parseGoDurationMs(value: string): number {
  const m = /^([+-]?)(.*)$/.exec(value);
  const body = m?.[2] ?? "";
  if (body === "0") return 0;
  if (body === "") throw new InvalidArgumentError(`time: invalid duration ${JSON.stringify(value)}`);
  let total = 0;
  let rest = body;
  while (rest !== "") {
    const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/.exec(rest);
    if (part === null) {
      const unit = /^(\d+(?:\.\d*)?|\.\d+)([^\d.]*)/.exec(rest);
      throw new InvalidArgumentError(
        unit !== null && unit[2] === ""
          ? `time: missing unit in duration ${JSON.stringify(value)}`
          : unit !== null
            ? `time: unknown unit ${JSON.stringify(unit[2])} in duration ${JSON.stringify(value)}`
            : `time: invalid duration ${JSON.stringify(value)}`,
      );
    }
    total += Number(part[1]) * (DURATION_UNITS[part[2] ?? "s"] ?? 1000);
    rest = rest.slice(part[0].length);
  }
  return m?.[1] === "-" ? -total : total;
}

/** The flags of an action talosctl can follow until it completes (reboot, shutdown, reset, upgrade). */
export interface TrackActionFlags {
  readonly wait: boolean;
  readonly debug: boolean;
  readonly timeout: number;
}

/** Adds `--wait` (default true), `--debug` and `--timeout` (default 30m) with Talos's help texts. */
export function addTrackActionFlags(cmd: Command): Command {
  return cmd
    .option("--debug", "debug operation from kernel logs. --wait is set to true when this flag is set")
    .addOption(
      new Option("--timeout <duration>", "time to wait for the operation is complete if --debug or --wait is set")
        .argParser(parseGoDurationMs)
        .default(30 * 60_000, "30m0s"),
    )
    .addOption(
      boolOption(
        "--wait",
        "wait for the operation to complete, tracking its progress. always set to true when --debug is set",
        true,
      ),
    );
}

/** Whether the action is to be followed (`--debug` implies `--wait`). */
export function wantsWait(flags: { wait?: boolean; debug?: boolean }): boolean {
  return flags.debug === true || flags.wait !== false;
}

/**
 * What talosctl prints instead of following the action: following it through the event stream is not
 * implemented yet, so the command returns once the nodes accepted the request.
 */
export function waitNotImplementedNote(action: string, actors: readonly { node: string; actorId: string }[]): string {
  let out =
    `note: --wait is not implemented yet: the ${action} request was accepted, not waiting for it to complete ` +
    "(pass --wait=false to skip this note)\n";
  for (const a of actors) if (a.actorId !== "") out += `\t${a.node}: actor ID ${a.actorId}\n`;
  return out;
}
