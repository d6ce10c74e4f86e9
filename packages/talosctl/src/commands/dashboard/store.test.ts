import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ByteStream, DashboardApi } from "./api.ts";
import { renderScreen, screenText } from "./screen.ts";
import { DashboardStore, kernelLogDenied } from "./store.ts";

const enc = new TextEncoder();

/** A stream of chunks that then stays open until aborted. */
async function* chunks(signal: AbortSignal, ...items: string[]): ByteStream {
  for (const i of items) yield enc.encode(i);
  await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
}

/** A node answering every call; `busy` is added to its CPU counters on each SystemStat. */
function fakeNode(opts: { dmesg: (signal: AbortSignal) => ByteStream }): DashboardApi & { calls: string[] } {
  let busy = 0;
  const calls: string[] = [];
  return {
    calls,
    version: async () => "v1.6.7",
    hostname: async () => "talos-test",
    systemStat: async () => {
      busy += 25;
      return {
        bootTime: 1000,
        cpuTotal: { user: busy, nice: 0, system: 0, idle: busy * 3, iowait: 0, irq: 0, softIrq: 0, steal: 0 },
      };
    },
    memory: async () => ({ totalKiB: 4096, availableKiB: 1024 }),
    cpuInfo: async () => ({ count: 2, mhz: 2600 }),
    processCount: async () => 42,
    loadAvg: async () => [0.5, 0.25, 0.1],
    services: async () => [
      { id: "apid", state: "Running", health: "OK" },
      { id: "etcd", state: "Running", health: "OK" },
    ],
    machineStatus: async () => ({ stage: "running", ready: true, unmetConditions: [] }),
    machineType: async () => "controlplane",
    memberCount: async () => 1,
    addresses: async () => ["10.5.0.2/24"],
    dmesg: (_node, _tail, signal) => {
      calls.push("dmesg");
      return opts.dmesg(signal);
    },
    serviceLogs: (_node, id, tail, signal) => {
      calls.push(`logs ${id} ${tail}`);
      return chunks(signal, "machined line 1\nmachined ", "line 2\n");
    },
  };
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("dashboard store", () => {
  it("polls a node: header facts, services, CPU from SystemStat deltas, memory", async () => {
    const api = fakeNode({ dmesg: (s) => chunks(s, "kern: info: hello\n") });
    const store = new DashboardStore(api, ["10.5.0.2"], { intervalMs: 1000 });
    const d = store.nodes[0];
    assert.ok(d !== undefined);
    await store.pollOnce(d, true);
    assert.equal(d.cpuUsage, undefined, "one sample gives no CPU figure");
    await store.pollOnce(d, false);
    assert.equal(d.cpuUsage, 0.25);
    assert.deepEqual(d.cpuHistory, [0.25]);
    assert.equal(d.memUsage, 0.75);
    assert.equal(d.hostname, "talos-test");
    assert.equal(d.machineType, "controlplane");
    assert.deepEqual(d.errors, []);
    const screen = screenText(
      renderScreen({ nodes: store.nodes, selected: 0, cols: 120, rows: 30, intervalLabel: "3s", nowMs: 1_060_000 }),
    );
    assert.match(
      screen,
      /^talos-test \(v1\.6\.7\): uptime 1m0s, 2x2\.6GHz, 4\.0 MiB, PROCS 42, CPU 25\.0%, RAM 75\.0%/,
    );
    assert.match(screen, /etcd +Running +OK/);
    assert.match(screen, /STAGE +running/);
    assert.equal(screen.split("\n").length, 30);
    assert.ok(screen.split("\n").every((l) => l.length === 120));
  });

  it("follows the kernel log", async () => {
    const api = fakeNode({ dmesg: (s) => chunks(s, "kern: info: one\nkern: info: ", "two\n") });
    const store = new DashboardStore(api, ["10.5.0.2"], { intervalMs: 60_000 });
    store.start();
    const d = store.nodes[0];
    assert.ok(d !== undefined);
    await until("two kernel lines", () => d.logLines.length === 2);
    store.stop();
    await store.settled();
    assert.deepEqual(d.logLines, ["kern: info: one", "kern: info: two"]);
    assert.deepEqual(d.logSource, { kind: "kernel" });
  });

  it("falls back to machined's log when the node may not read the kernel log, and says so", async () => {
    const api = fakeNode({
      // What a process node answers when it cannot open /dev/kmsg.
      // biome-ignore lint/correctness/useYield: fails before yielding, as the node does
      dmesg: async function* () {
        throw new ConnectError(
          "cannot read the kernel log: EACCES: permission denied, open '/dev/kmsg'",
          Code.Unavailable,
        );
      },
    });
    const store = new DashboardStore(api, ["10.5.0.2"], { intervalMs: 60_000 });
    store.start();
    const d = store.nodes[0];
    assert.ok(d !== undefined);
    await until("machined's lines", () => d.logLines.length === 2);
    store.stop();
    await store.settled();
    assert.deepEqual(api.calls, ["dmesg", "logs machined 200"]);
    assert.deepEqual(d.logLines, ["machined line 1", "machined line 2"]);
    assert.equal(d.logSource.kind, "machined");
    const screen = screenText(
      renderScreen({ nodes: store.nodes, selected: 0, cols: 160, rows: 30, intervalLabel: "3s", nowMs: 0 }),
    );
    assert.match(
      screen,
      /┌─ machined log \(kernel log unavailable: cannot read the kernel log: EACCES: permission denied, open '\/dev\/kmsg'\)/,
    );
    assert.match(screen, /│ machined line 2 +│/);
  });

  it("a node that is down shows its error; the others keep their data", async () => {
    const down = new ConnectError("connection error: desc = connect ECONNREFUSED", Code.Unavailable);
    const good = fakeNode({ dmesg: (s) => chunks(s) });
    const api: DashboardApi = new Proxy(good, {
      get(target, prop, receiver) {
        const f = Reflect.get(target, prop, receiver);
        if (typeof f !== "function") return f;
        return (node: string, ...rest: unknown[]) => {
          if (node === "10.5.0.3") {
            if (prop === "dmesg" || prop === "serviceLogs") {
              // biome-ignore lint/correctness/useYield: fails before yielding
              return (async function* () {
                throw down;
              })();
            }
            return Promise.reject(down);
          }
          return f.call(target, node, ...rest);
        };
      },
    });
    const store = new DashboardStore(api, ["10.5.0.2", "10.5.0.3"], { intervalMs: 1000 });
    const [a, b] = store.nodes;
    assert.ok(a !== undefined && b !== undefined);
    await Promise.all([store.pollOnce(a, true), store.pollOnce(b, true)]);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, ["rpc error: code = Unavailable desc = connection error: desc = connect ECONNREFUSED"]);
    const screen = screenText(
      renderScreen({ nodes: store.nodes, selected: 1, cols: 120, rows: 30, intervalLabel: "3s", nowMs: 0 }),
    );
    assert.match(screen, /^10\.5\.0\.3: rpc error: code = Unavailable/);
    assert.match(screen, /│ ERROR +rpc error: code = Unavailable desc = +│/);
    assert.match(screen, /│ {11}connection error: desc = connect +│/);
    assert.match(screen, /│ {11}ECONNREFUSED +│/);
    assert.match(screen, /node 2\/2/);
  });

  it("reopens a log stream that was open while the node stopped answering, once it answers again", async () => {
    let failing = false;
    const tails: boolean[] = [];
    const good = fakeNode({
      dmesg: (s) => chunks(s, `kern: info: stream ${tails.length}\n`),
    });
    const api: DashboardApi = {
      ...good,
      hostname: (n) => (failing ? Promise.reject(new Error("down")) : good.hostname(n)),
      dmesg: (n, tail, s) => {
        tails.push(tail);
        return good.dmesg(n, tail, s);
      },
    };
    const store = new DashboardStore(api, ["10.5.0.2"], { intervalMs: 60_000 });
    const d = store.nodes[0];
    assert.ok(d !== undefined);
    store.start();
    await until("the first stream", () => d.logLines.length === 1);
    failing = true;
    await store.pollOnce(d, false);
    assert.deepEqual(d.errors, ["down"]);
    failing = false;
    await store.pollOnce(d, false);
    await until("the second stream", () => d.logLines.length === 2);
    store.stop();
    await store.settled();
    // Reopened for new messages only.
    assert.deepEqual(tails, [false, true]);
    assert.deepEqual(d.logLines, ["kern: info: stream 1", "kern: info: stream 2"]);
  });

  it("tells a denied kernel log from a node that is down", () => {
    assert.ok(kernelLogDenied(new ConnectError("cannot read the kernel log: EPERM", Code.Unavailable)));
    assert.ok(kernelLogDenied(new ConnectError("open /dev/kmsg: operation not permitted", Code.Unknown)));
    assert.ok(kernelLogDenied(new ConnectError("nope", Code.PermissionDenied)));
    assert.ok(kernelLogDenied(new ConnectError("Dmesg is not implemented", Code.Unimplemented)));
    assert.ok(!kernelLogDenied(new ConnectError("connection error: connect ECONNREFUSED", Code.Unavailable)));
  });
});
