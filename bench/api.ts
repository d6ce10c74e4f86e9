// Talos API benchmark: unary Version latency and throughput over mTLS (direct and through one apid proxy
// hop), `get` of 1,000 resources, and watch delivery latency. Prints Markdown for docs/performance.md.
//
//   npm run build && node bench/api.ts
import "reflect-metadata";
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { cosi, MachineService } from "@talos/machinery/api";
import { DAEMON_NODE_FLAGS } from "@talos/provision";
import { parse } from "yaml";

const root = resolve(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "bench-api-"));
const A = "127.0.60.2";
const B = "127.0.60.3";
const RESOURCES = 1000;

execFileSync(join(root, "talosctl"), ["gen", "config", "bench", `https://${A}:6443`, "--with-docs=false"], {
  cwd: work,
});
const ctx = parse(readFileSync(join(work, "talosconfig"), "utf8")).contexts.bench;
const pem = (b64: string) => Buffer.from(b64, "base64").toString();
const creds = {
  ca: pem(ctx.ca),
  cert: pem(ctx.crt),
  key: pem(ctx.key).replaceAll("ED25519 PRIVATE KEY", "PRIVATE KEY"),
};

function startNode(address: string): Promise<ChildProcess> {
  const child = fork(
    join(root, "bench/fixtures/bench-node.ts"),
    [join(work, address), address, join(work, "controlplane.yaml"), String(RESOURCES)],
    {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      // The node image's V8 flags; NODE_FLAGS="" (or other flags) to compare, e.g. with V8's defaults.
      execArgv: [...process.execArgv, ...(process.env["NODE_FLAGS"]?.split(" ").filter(Boolean) ?? DAEMON_NODE_FLAGS)],
    },
  );
  return new Promise((res) => child.once("message", () => res(child)));
}

const nodeA = await startNode(A);
const nodeB = await startNode(B);
const transport = createGrpcTransport({ baseUrl: `https://${A}:50000`, nodeOptions: creds });
const machine = createClient(MachineService, transport);
const state = createClient(cosi.State, transport);

const pct = (xs: number[], p: number) =>
  [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
const rows: string[] = [];

async function latency(name: string, headers: Record<string, string>, n = 2000) {
  for (let i = 0; i < 200; i++) await machine.version({}, { headers });
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await machine.version({}, { headers });
    times.push(performance.now() - t);
  }
  rows.push(`| ${name} | ${pct(times, 0.5).toFixed(2)} | ${pct(times, 0.99).toFixed(2)} |`);
  return pct(times, 0.5);
}

/** CPU seconds a process has used so far (user + system, from /proc). */
function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function throughput(headers: Record<string, string>, concurrency = 32, ms = 5000) {
  const cpuA = cpuSeconds(nodeA.pid);
  const cpuB = cpuSeconds(nodeB.pid);
  let done = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await machine.version({}, { headers });
        done++;
      }
    }),
  );
  const nodeCpu = cpuSeconds(nodeA.pid) - cpuA + (cpuSeconds(nodeB.pid) - cpuB);
  return { perSecond: (done / ms) * 1000, perCpuSecond: done / nodeCpu };
}

console.log("### Unary `Version` over mTLS (sequential calls, ms)\n");
console.log("| path | p50 | p99 |\n|---|---:|---:|");
const direct = await latency("direct (apid → machined on the same node)", {});
const proxied = await latency("one proxy hop (`node: B` through A's apid)", { node: B });
const fanout = await latency("fan-out to two nodes (`nodes: A,B`)", { nodes: `${A},${B}` }, 1000);
for (const r of rows) console.log(r);
console.log(
  `\nProxy overhead (p50, one hop − direct): ${(proxied - direct).toFixed(2)} ms; fan-out p50 ${fanout.toFixed(2)} ms.\n`,
);

console.log("### Throughput (32 calls in flight for 5 s; client and nodes share the 2 cores)\n");
console.log("| path | calls/s (wall) | calls per node CPU-second |\n|---|---:|---:|");
for (const [name, headers] of [
  ["direct", {}],
  ["one proxy hop", { node: B }],
] as const) {
  const t = await throughput(headers);
  console.log(`| ${name} | ${t.perSecond.toFixed(0)} | ${t.perCpuSecond.toFixed(0)} |`);
}

console.log(`\n### \`get\` of ${RESOURCES} resources (List of Members, ms)\n`);
const listTimes: number[] = [];
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  let count = 0;
  for await (const _ of state.list({ namespace: "cluster", type: "Members.cluster.talos.dev" })) count++;
  listTimes.push(performance.now() - t);
  if (count < RESOURCES) throw new Error(`listed ${count} members`);
}
const cli: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  execFileSync(
    join(root, "talosctl"),
    ["--talosconfig", join(work, "talosconfig"), "-e", A, "-n", A, "get", "members"],
    {
      maxBuffer: 1 << 26,
    },
  );
  cli.push(performance.now() - t);
}
console.log("| how | p50 | max |\n|---|---:|---:|");
console.log(
  `| COSI List stream, in a warm client | ${pct(listTimes, 0.5).toFixed(1)} | ${Math.max(...listTimes).toFixed(1)} |`,
);
console.log(
  `| \`talosctl get members\` (whole CLI run, table) | ${pct(cli, 0.5).toFixed(0)} | ${Math.max(...cli).toFixed(0)} |`,
);

console.log("\n### Watch delivery latency (resource updated in the node → event at the client, ms)\n");
const abort = new AbortController();
const received = new Map<number, number>();
const stream = state.watch(
  { namespace: "cluster", type: "Members.cluster.talos.dev", id: "node-0", apiVersion: 1 },
  { signal: abort.signal },
);
const reader = (async () => {
  try {
    for await (const msg of stream) {
      for (const ev of msg.event) {
        const m = /node-0-(\d+)$/.exec(ev.resource?.spec?.yamlSpec.match(/hostname: (\S+)/)?.[1] ?? "");
        if (m !== null) received.set(Number(m[1]), performance.timeOrigin + performance.now());
      }
    }
  } catch {
    // aborted
  }
})();
await new Promise((r) => setTimeout(r, 300));
const sent = new Map<number, number>();
nodeA.on("message", (m: { update?: number; sentAt?: number }) => {
  if (m.update !== undefined && m.sentAt !== undefined) sent.set(m.update, m.sentAt);
});
for (let i = 1; i <= 200; i++) {
  nodeA.send({ update: i });
  await new Promise((r) => setTimeout(r, 10));
}
await new Promise((r) => setTimeout(r, 500));
abort.abort();
await reader;
const lat = [...sent].filter(([i]) => received.has(i)).map(([i, t]) => (received.get(i) ?? 0) - t);
console.log("| updates | p50 | p99 | max |\n|---:|---:|---:|---:|");
console.log(
  `| ${lat.length}/200 | ${pct(lat, 0.5).toFixed(2)} | ${pct(lat, 0.99).toFixed(2)} | ${Math.max(...lat).toFixed(2)} |`,
);

nodeA.kill();
nodeB.kill();
rmSync(work, { recursive: true, force: true });
process.exit(0);
