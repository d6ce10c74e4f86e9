// Support bundle benchmark: `talosctl support` against three bootstrapped control plane node processes
// (127.0.64.2-4, --fast-timing), the whole command wall-clock (process start to zip renamed in place).
// Markdown output.
//
//   npm run build && node bench/support.ts [runs]
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DAEMON_NODE_FLAGS } from "@talos/provision";
import { unzipSync } from "fflate";
import { portOpen } from "./lib/proc.ts";

const root = resolve(import.meta.dirname, "..");
const runs = Number(process.argv[2] ?? 3);
const dir = mkdtempSync(join(tmpdir(), "bench-support-"));
const addresses = ["127.0.64.2", "127.0.64.3", "127.0.64.4"];
const talosctl = (args: string[]) =>
  execFileSync(join(root, "talosctl"), ["--talosconfig", join(dir, "talosconfig"), ...args], {
    cwd: dir,
    env: { ...process.env, HOME: dir },
    stdio: "pipe",
  }).toString();

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await ok()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

execFileSync(join(root, "talosctl"), ["gen", "config", "bench", `https://${addresses[0]}:6443`, "--with-docs=false"], {
  cwd: dir,
  stdio: "pipe",
});
const nodes: ChildProcess[] = addresses.map((address, i) =>
  spawn(
    join(root, "node_modules/.bin/node"),
    [
      ...DAEMON_NODE_FLAGS,
      join(root, "dist/machined.mjs"),
      "--state-dir",
      join(dir, `node-${i + 1}`),
      "--address",
      address,
      "--config",
      join(dir, "controlplane.yaml"),
      "--fast-timing",
    ],
    { stdio: "ignore" },
  ),
);
// A failed run must not leave nodes holding the addresses.
process.once("exit", () => {
  for (const n of nodes) n.kill("SIGKILL");
});

try {
  const all = addresses.join(",");
  for (const a of addresses) await until(`${a}:50000`, () => portOpen(a, 50000));
  await until("the API", () => {
    talosctl(["-e", addresses[0] ?? "", "-n", all, "version", "--short"]);
    return true;
  });
  talosctl(["-e", addresses[0] ?? "", "-n", addresses[0] ?? "", "bootstrap"]);
  // Every node has joined etcd and published its member.
  await until("etcd on every node", () =>
    addresses.every(
      (a) => talosctl(["-e", a, "-n", a, "get", "etcdmembers", "-o", "jsonpath={.spec.memberId}"]).trim() !== "",
    ),
  );

  const out = join(dir, "support.zip");
  const args = ["-e", addresses[0] ?? "", "-n", all, "support", "-O", out];
  talosctl(args); // warm-up (compile cache, first connections of apid)
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    talosctl(args);
    wall.push(performance.now() - t);
  }
  const files = Object.keys(unzipSync(new Uint8Array(readFileSync(out)))).length;
  const size = statSync(out).size / 1024;

  console.log(`| measure (${runs} runs) | median | min | max |`);
  console.log("|---|---:|---:|---:|");
  console.log(
    `| \`talosctl support\`, 3 control planes (${files} files, ${size.toFixed(0)} KiB zip) | ` +
      `${median(wall).toFixed(0)} ms | ${Math.min(...wall).toFixed(0)} ms | ${Math.max(...wall).toFixed(0)} ms |`,
  );
} finally {
  for (const n of nodes) n.kill("SIGTERM");
  await Promise.all(nodes.map((n) => (n.exitCode !== null ? undefined : new Promise((r) => n.once("exit", r)))));
  rmSync(dir, { recursive: true, force: true });
}
