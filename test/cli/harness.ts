import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
}

/**
 * Runs talosctl as a user would: the bundled `dist/talosctl.mjs` on the pinned Node runtime (build first),
 * or the TypeScript sources directly when TALOSCTL_TEST_MODE=source (handy while developing).
 * HOME points at the cwd unless given, so tests never touch the real ~/.talos.
 */
export function runTalosctl(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const entry =
    process.env["TALOSCTL_TEST_MODE"] === "source"
      ? join(repoRoot, "packages/talosctl/src/main.ts")
      : join(repoRoot, "dist/talosctl.mjs");
  const cwd = opts.cwd ?? process.cwd();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, HOME: cwd, TALOSCONFIG: undefined, ...opts.env })) {
    if (v !== undefined) env[k] = v;
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

/** A fresh temporary directory, removed by the returned cleanup function. */
export async function tempDir(prefix = "talosctl-test-"): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}
