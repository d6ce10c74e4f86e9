// helpers.ClientVersionCheck: before disruptive actions talosctl asks the nodes for their version (errors
// ignored) and warns about nodes running an older Talos than the client.
import { createClient } from "@connectrpc/connect";
import { MachineService, type Version } from "@talos/machinery/api";
import { CliError } from "../cli/errors.ts";
import { TALOSCTL_VERSION } from "../version.ts";
import type { TalosConnection } from "./talos-client.ts";

interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre: readonly string[];
}

/** blang/semver `ParseTolerant`: a leading `v` and missing minor/patch are accepted. */
export function parseSemverTolerant(text: string): SemVer | undefined {
  let s = text.trim().replace(/^v/, "");
  const core = s.split(/[-+]/)[0] ?? "";
  const parts = core.split(".");
  if (parts.length < 3 && parts.length > 0) {
    s = s.replace(core, [...parts, ...Array(3 - parts.length).fill("0")].join("."));
  }
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(s);
  if (m === null) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    pre: m[4] !== undefined ? m[4].split(".") : [],
  };
}

export function compareSemver(a: SemVer, b: SemVer): number {
  for (const k of ["major", "minor", "patch"] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  // A pre-release sorts before its release.
  if (a.pre.length === 0 && b.pre.length === 0) return 0;
  if (a.pre.length === 0) return 1;
  if (b.pre.length === 0) return -1;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return Number(x) < Number(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function formatSemver(v: SemVer): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre.length > 0 ? `-${v.pre.join(".")}` : ""}`;
}

/** Warns on stderr about nodes older than this talosctl (`WARNING: <node>: server version ... is older ...`). */
export async function clientVersionCheck(conn: TalosConnection, headers: Headers): Promise<void> {
  let messages: Version[];
  try {
    messages = (await createClient(MachineService, conn.transport).version({}, { headers })).messages;
  } catch {
    // Only the nodes that answer matter here.
    return;
  }
  const client = parseSemverTolerant(TALOSCTL_VERSION);
  if (client === undefined) throw new CliError(`error parsing client version: ${TALOSCTL_VERSION}`);
  const warnings: string[] = [];
  for (const msg of messages) {
    if ((msg.metadata?.error ?? "") !== "") continue;
    const node = msg.metadata?.hostname ?? "";
    const tag = msg.version?.tag ?? "";
    const server = parseSemverTolerant(tag);
    if (server === undefined) {
      throw new CliError(`${node}: error parsing server version: Invalid version ${JSON.stringify(tag)}`);
    }
    if (compareSemver(server, client) < 0) {
      warnings.push(
        `${node}: server version ${formatSemver(server)} is older than client version ${formatSemver(client)}`,
      );
    }
  }
  if (warnings.length > 0) process.stderr.write(`WARNING: ${warnings.join(", ")}\n`);
}
