// Local cluster benchmark: `talosctl cluster create` until healthy (1+1 and 3+1) and `cluster destroy`,
// on this machine's container engine (podman here). The node image is built once before timing.
//
//   npm run build && node bench/cluster.ts [runs]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const runs = Number(process.argv[2] ?? 3);
const home = mkdtempSync(join(tmpdir(), "bench-cluster-"));
const talosctl = (args: string[]) => {
  const t = performance.now();
  execFileSync(join(root, "talosctl"), args, { env: { ...process.env, HOME: home }, stdio: "pipe" });
  return performance.now() - t;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

// Warm-up: starts the podman API service and builds or finds the node image.
talosctl(["cluster", "create", "--name", "bench-warm", "--cidr", "10.254.9.0/24", "--workers", "0"]);
talosctl(["cluster", "destroy", "--name", "bench-warm"]);

const results: Record<string, number[]> = { "1+1": [], "3+1": [], "destroy 1+1": [], "destroy 3+1": [] };
for (let i = 0; i < runs; i++) {
  for (const [label, cps] of [
    ["1+1", "1"],
    ["3+1", "3"],
  ] as const) {
    const name = `bench-${cps}`;
    results[label]?.push(
      talosctl([
        "cluster",
        "create",
        "--name",
        name,
        "--cidr",
        "10.254.10.0/24",
        "--controlplanes",
        cps,
        "--workers",
        "1",
      ]),
    );
    results[`destroy ${label}`]?.push(talosctl(["cluster", "destroy", "--name", name]));
  }
}
try {
  execFileSync("sh", ["-c", `kill $(cat ${join(home, ".talos/podman/service.pid")})`]);
} catch {
  // already gone
}
rmSync(home, { recursive: true, force: true });

console.log(`| step (${runs} runs) | median | min | max |`);
console.log("|---|---:|---:|---:|");
for (const [label, xs] of Object.entries(results)) {
  const name = label.startsWith("destroy")
    ? `\`cluster destroy\` (${label.slice(8)})`
    : `\`cluster create\` ${label} → healthy`;
  console.log(
    `| ${name} | ${(median(xs) / 1000).toFixed(1)} s | ${(Math.min(...xs) / 1000).toFixed(1)} s | ${(Math.max(...xs) / 1000).toFixed(1)} s |`,
  );
}
