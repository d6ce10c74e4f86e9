// Node benchmark: time from starting a node process to its API answering, from `bootstrap` to a healthy
// etcd, and the resident memory of an idle node daemon (machined only, etcd excluded). Markdown output.
//
//   npm run build && node bench/node.ts [runs]
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DAEMON_NODE_FLAGS } from "@talos/provision";
import { portOpen, statusMiB } from "./lib/proc.ts";

const root = resolve(import.meta.dirname, "..");
const runs = Number(process.argv[2] ?? 5);
const talosctl = (cwd: string, args: string[]) =>
  execFileSync(join(root, "talosctl"), ["--talosconfig", join(cwd, "talosconfig"), ...args], {
    cwd,
    stdio: "pipe",
  }).toString();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ready: number[] = [];
const etcdHealthy: number[] = [];
const rss: number[] = [];
const anon: number[] = [];

for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), "bench-node-"));
  const address = "127.0.61.2";
  execFileSync(join(root, "talosctl"), ["gen", "config", "bench", `https://${address}:6443`, "--with-docs=false"], {
    cwd: dir,
    stdio: "pipe",
  });
  const start = performance.now();
  const node: ChildProcess = spawn(
    join(root, "node_modules/.bin/node"),
    [
      // The V8 flags the node image runs machined with.
      ...DAEMON_NODE_FLAGS,
      join(root, "dist/machined.mjs"),
      "--state-dir",
      join(dir, "state"),
      "--address",
      address,
      "--config",
      join(dir, "controlplane.yaml"),
    ],
    { stdio: "ignore" },
  );
  // A failed run must not leave a node holding the address for the next one.
  process.once("exit", () => node.kill("SIGKILL"));
  // API ready: a real `version` call through apid succeeds.
  for (;;) {
    if (await portOpen(address, 50000)) {
      try {
        talosctl(dir, ["-e", address, "-n", address, "version", "--short"]);
        break;
      } catch {
        // not yet
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  ready.push(performance.now() - start);

  const b = performance.now();
  talosctl(dir, ["-e", address, "-n", address, "bootstrap"]);
  for (;;) {
    const out = talosctl(dir, ["-e", address, "-n", address, "get", "etcdmembers", "-o", "jsonpath={.spec.memberId}"]);
    if (out.trim() !== "") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  etcdHealthy.push(performance.now() - b);

  await new Promise((r) => setTimeout(r, 5000)); // idle
  rss.push(statusMiB(node.pid ?? 0, "VmRSS"));
  anon.push(statusMiB(node.pid ?? 0, "RssAnon"));
  node.kill("SIGTERM");
  await new Promise((r) => node.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
}

console.log(`| measure (${runs} runs) | median | min | max |`);
console.log("|---|---:|---:|---:|");
const row = (name: string, xs: number[], unit: string, digits = 0) =>
  console.log(
    `| ${name} | ${median(xs).toFixed(digits)} ${unit} | ${Math.min(...xs).toFixed(digits)} ${unit} | ${Math.max(...xs).toFixed(digits)} ${unit} |`,
  );
row("node start → API ready (`version` answers through apid)", ready, "ms");
row("`bootstrap` → etcd healthy (EtcdMember published)", etcdHealthy, "ms");
row("idle node daemon RSS (machined, etcd excluded)", rss, "MiB", 1);
row("… of which anonymous memory (heap, code; the rest is the Node binary's file pages)", anon, "MiB", 1);
