// Starts real node processes (dist/machined.mjs) on loopback addresses for cluster-level tests, each with
// Talos's ports on its own address. Every test file uses its own 127.0.<subnet>.x range so files can run
// in parallel.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { repoRoot, runTalosctl, tempDir } from "../cli/harness.ts";

export interface TestNode {
  readonly address: string;
  readonly type: "controlplane" | "worker";
  readonly stateDir: string;
  process: ChildProcess | undefined;
  log: string;
}

export interface TestCluster {
  readonly dir: string;
  readonly nodes: TestNode[];
  readonly talosconfig: string;
  /** Runs talosctl against this cluster's talosconfig. */
  talosctl(args: readonly string[]): ReturnType<typeof runTalosctl>;
  start(node: TestNode): Promise<void>;
  stop(node: TestNode, signal?: NodeJS.Signals): Promise<void>;
  cleanup(): Promise<void>;
}

const NODE_BIN = process.execPath;
const MACHINED = join(repoRoot, "dist/machined.mjs");

/** Polls `fn` every 0.5 s until it returns a value (not undefined); its last error is in the timeout message. */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${String(last ?? "")}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits until something accepts TCP connections on address:port. */
export async function waitForPort(address: string, port: number, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: address, port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${address}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Generates a cluster config (`gen config`, optionally patched) and starts `count` control plane nodes at
 * 127.0.<subnet>.2, .3, ...
 */
export async function startCluster(
  subnet: number,
  count: number,
  opts: {
    configPatch?: string;
    /** Worker nodes after the `count` control planes. */
    workers?: number;
    /** Start without a config: nodes wait in maintenance mode for apply-config --insecure. */
    maintenance?: boolean;
    /** Extra machined flags (e.g. `--discovery-ttl 4s`). */
    machinedArgs?: readonly string[];
  } = {},
): Promise<TestCluster> {
  const tmp = await tempDir("talos-cluster-");
  const dir = tmp.path;
  const total = count + (opts.workers ?? 0);
  const addresses = Array.from({ length: total }, (_, i) => `127.0.${subnet}.${i + 2}`);
  const gen = await runTalosctl(
    [
      "gen",
      "config",
      "test",
      `https://${addresses[0]}:6443`,
      "--with-docs=false",
      "--with-examples=false",
      ...(opts.configPatch !== undefined ? ["--config-patch", opts.configPatch] : []),
    ],
    { cwd: dir },
  );
  if (gen.code !== 0) throw new Error(`gen config failed: ${gen.stderr}`);
  const nodes: TestNode[] = addresses.map((address, i) => ({
    address,
    type: i < count ? ("controlplane" as const) : ("worker" as const),
    stateDir: join(dir, `node-${i + 1}`),
    process: undefined,
    log: "",
  }));
  const talosconfig = join(dir, "talosconfig");
  const cluster: TestCluster = {
    dir,
    nodes,
    talosconfig,
    talosctl: (args) => runTalosctl(["--talosconfig", talosconfig, ...args], { cwd: dir }),
    async start(node) {
      const config = opts.maintenance === true ? [] : ["--config", join(dir, `${node.type}.yaml`)];
      const child = spawn(
        NODE_BIN,
        [
          MACHINED,
          "--state-dir",
          node.stateDir,
          "--address",
          node.address,
          "--fast-timing",
          ...(opts.machinedArgs ?? []),
          ...config,
        ],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      node.process = child;
      node.log = "";
      child.stdout?.on("data", (d: Buffer) => {
        node.log += d.toString();
      });
      child.stderr?.on("data", (d: Buffer) => {
        node.log += d.toString();
      });
      try {
        await waitForPort(node.address, 50000);
      } catch (e) {
        throw new Error(`${(e as Error).message}\nnode log:\n${node.log}`);
      }
    },
    async stop(node, signal = "SIGTERM") {
      const child = node.process;
      if (child === undefined || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill(signal);
      await exited;
      node.process = undefined;
    },
    async cleanup() {
      await Promise.all(nodes.map((n) => cluster.stop(n, "SIGKILL")));
      // A killed machined cannot stop its children: end the etcd processes whose data lives in its state dir.
      await Promise.all(
        nodes.map((n) => new Promise((resolve) => spawn("pkill", ["-KILL", "-f", n.stateDir]).once("close", resolve))),
      );
      await tmp.cleanup();
    },
  };
  try {
    await Promise.all(nodes.map((n) => cluster.start(n)));
  } catch (e) {
    await cluster.cleanup();
    throw e;
  }
  return cluster;
}

/** The admin talosconfig's credentials (PEM), for building clients with other roles. */
export async function clusterSecrets(cluster: TestCluster) {
  const { parse } = await import("yaml");
  const cp = parse(await readFile(join(cluster.dir, "controlplane.yaml"), "utf8"));
  return {
    osCA: { crt: String(cp.machine.ca.crt), key: String(cp.machine.ca.key) },
  };
}
