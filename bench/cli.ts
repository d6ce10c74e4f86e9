// Measures talosctl start-up and `gen config`: wall time and peak memory (max RSS) of the bundled CLI, as a
// user runs it (`./talosctl`, pinned Node). Prints a Markdown table for docs/performance.md.
//
//   node bench/cli.ts [runs]      (needs `npm run build` first, and GNU time: Debian package `time`)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const talosctl = join(root, "talosctl");
const runs = Number(process.argv[2] ?? 15);
const work = mkdtempSync(join(tmpdir(), "bench-cli-"));
execFileSync(talosctl, ["gen", "secrets", "-o", "s.yaml"], { cwd: work });

const cases: [string, string[]][] = [
  ["talosctl --help", ["--help"]],
  ["talosctl version --client", ["version", "--client"]],
  ["talosctl gen config (fresh secrets)", ["gen", "config", "demo", "https://10.5.0.2:6443", "-o", "out", "--force"]],
  [
    "talosctl gen config --with-secrets",
    ["gen", "config", "demo", "https://10.5.0.2:6443", "--with-secrets", "s.yaml", "-o", "out", "--force"],
  ],
  ["talosctl validate --mode metal", ["validate", "--config", "out/controlplane.yaml", "--mode", "metal"]],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

console.log(`| command | median wall (ms) | min (ms) | median peak RSS (MiB) |`);
console.log(`|---|---:|---:|---:|`);
for (const [name, args] of cases) {
  const walls: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync("/usr/bin/time", ["-f", "%M", talosctl, ...args], { cwd: work, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
    if (i === 0) continue; // warm-up: page cache, compile cache
    walls.push(ms);
    rss.push(Number(r.stderr.trim().split("\n").at(-1)) / 1024);
  }
  console.log(
    `| \`${name}\` | ${median(walls).toFixed(0)} | ${Math.min(...walls).toFixed(0)} | ${median(rss).toFixed(1)} |`,
  );
}
rmSync(work, { recursive: true, force: true });
