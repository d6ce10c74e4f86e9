// Dashboard benchmark: `talosctl dashboard` over three node processes (127.0.65.2-4, the first bootstrapped)
// in a 160x48 tmux pane at the default 3 s interval, left idle; reports the talosctl process's CPU time per
// minute (utime + stime from /proc/<pid>/stat) and its resident memory. Markdown output.
//
//   npm run build && node bench/dashboard.ts [seconds]
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { startCluster } from "../test/cluster/harness.ts";
import { statusMiB } from "./lib/proc.ts";

const root = resolve(import.meta.dirname, "..");
const seconds = Number(process.argv[2] ?? 30);
const run = promisify(execFile);
const SOCKET = `talos-dashboard-bench-${process.pid}`;
const tmux = (...args: string[]) => run("tmux", ["-L", SOCKET, ...args], { encoding: "utf8" }).then((r) => r.stdout);
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** utime + stime of a process, in clock ticks. */
function cpuTicks(pid: number): number {
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

const clockTicks = Number((await run("getconf", ["CLK_TCK"])).stdout.trim());
const cluster = await startCluster(65, 3);
try {
  const [a, b, c] = cluster.nodes.map((n) => n.address) as [string, string, string];
  const boot = await cluster.talosctl(["-e", a, "-n", a, "bootstrap"]);
  if (boot.code !== 0) throw new Error(`bootstrap: ${boot.stderr}`);
  const conf = join(cluster.dir, "tmux.conf");
  await writeFile(conf, "set -g status off\n");
  const command = [
    process.execPath,
    join(root, "dist/talosctl.mjs"),
    "--talosconfig",
    cluster.talosconfig,
    "-e",
    a,
    "-n",
    `${a},${b},${c}`,
    "dashboard",
  ]
    .map(quote)
    .join(" ");
  // exec: the pane's process is talosctl itself.
  await tmux(
    "-f",
    conf,
    "new-session",
    "-d",
    "-x",
    "160",
    "-y",
    "48",
    "-s",
    "bench",
    `exec env HOME=${quote(cluster.dir)} ${command}`,
  );
  const pid = Number((await tmux("display-message", "-p", "-t", "bench", "#{pane_pid}")).trim());

  // Ready: the first node's header and etcd on screen; then a few polls to settle.
  const deadline = Date.now() + 60_000;
  while (!/etcd\s+Running/.test(await tmux("capture-pane", "-p", "-t", "bench"))) {
    if (Date.now() > deadline) throw new Error("the dashboard did not show etcd within 60 s");
    await sleep(250);
  }
  await sleep(6000);

  const before = cpuTicks(pid);
  const started = performance.now();
  let peakRss = 0;
  for (let t = 0; t < seconds; t++) {
    await sleep(1000);
    peakRss = Math.max(peakRss, statusMiB(pid, "VmRSS"));
  }
  const elapsed = (performance.now() - started) / 1000;
  const cpuPerMinute = ((cpuTicks(pid) - before) / clockTicks) * (60 / elapsed);
  const rss = statusMiB(pid, "VmRSS");
  const hwm = statusMiB(pid, "VmHWM");

  await tmux("send-keys", "-t", "bench", "q");
  console.log(`### talosctl dashboard, idle (3 nodes, -d 3s, 160x48 tmux pane, ${seconds} s)\n`);
  console.log("| what | CPU s/min | RSS MiB (end) | RSS MiB (max while idle) | RSS MiB (peak incl. start) |");
  console.log("|---|---|---|---|---|");
  console.log(
    `| talosctl dashboard, 3 nodes idle | ${cpuPerMinute.toFixed(2)} | ${rss.toFixed(0)} | ${peakRss.toFixed(0)} | ${hwm.toFixed(0)} |`,
  );
} finally {
  await tmux("kill-server").catch(() => {});
  await cluster.cleanup();
}
