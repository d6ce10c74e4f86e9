// Talos's default cluster health checks, in Talos's order, over an injected transport (so talosctl and
// machined run the same code). Kubernetes checks are reported as skipped until Kubernetes runs.
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { parse } from "yaml";
import { cosi, MachineService, StorageService } from "../api/index.ts";

export interface ClusterNodes {
  readonly controlPlanes: readonly string[];
  readonly workers: readonly string[];
}

/** One check: its description (printed as `waiting for <description>: ...`) and one attempt. */
export interface HealthCheck {
  readonly description: string;
  /** Resolves when the condition holds; throws with the reason otherwise. Undefined: skipped. */
  readonly run?: (signal: AbortSignal) => Promise<void>;
}

/** Minimum memory Talos expects (control planes 2 GiB, workers 1 GiB), with some slack for the kernel. */
const MIN_MEMORY_KB = { controlplane: 1800 * 1024, worker: 900 * 1024 };
/** Minimum size of the system disk Talos expects (6 GB). */
const MIN_DISK_BYTES = 6_000_000_000n;

function errorText(e: unknown): string {
  return e instanceof ConnectError ? e.rawMessage : e instanceof Error ? e.message : String(e);
}

export function defaultHealthChecks(transport: Transport, nodes: ClusterNodes): HealthCheck[] {
  const machine = createClient(MachineService, transport);
  const storage = createClient(StorageService, transport);
  const state = createClient(cosi.State, transport);
  const all = [...nodes.controlPlanes, ...nodes.workers];
  const opts = (node: string, signal: AbortSignal) => ({ headers: { node }, signal, timeoutMs: 10_000 });
  const atNode = async <T>(node: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw new Error(`${node}: ${errorText(e)}`);
    }
  };

  return [
    {
      description: "etcd to be healthy",
      run: async (signal) => {
        for (const node of nodes.controlPlanes) {
          const r = await atNode(node, () => machine.etcdStatus({}, opts(node, signal)));
          const s = r.messages[0]?.memberStatus;
          if (s === undefined || s.leader === 0n) throw new Error(`${node}: etcd has no leader`);
          if (s.errors.length > 0) throw new Error(`${node}: ${s.errors.join("; ")}`);
        }
      },
    },
    {
      description: "etcd members to be consistent across nodes",
      run: async (signal) => {
        const views = await Promise.all(
          nodes.controlPlanes.map(async (node) => {
            const r = await atNode(node, () => machine.etcdMemberList({ queryLocal: true }, opts(node, signal)));
            return (r.messages[0]?.members ?? [])
              .map((m) => m.id.toString(16))
              .sort()
              .join(",");
          }),
        );
        if (!views.every((v) => v === views[0]))
          throw new Error(`etcd members differ between nodes: ${views.join(" | ")}`);
      },
    },
    {
      description: "etcd members to be control plane nodes",
      run: async (signal) => {
        const node = nodes.controlPlanes[0] ?? "";
        const r = await atNode(node, () => machine.etcdMemberList({ queryLocal: true }, opts(node, signal)));
        const members = r.messages[0]?.members ?? [];
        const ips = members.flatMap((m) => m.peerUrls.map((u) => new URL(u).hostname.replace(/^\[(.*)\]$/, "$1")));
        const learners = members.filter((m) => m.isLearner).map((m) => m.hostname || m.id.toString(16));
        if (learners.length > 0) throw new Error(`etcd members are still learners: ${learners.join(", ")}`);
        const missing = nodes.controlPlanes.filter((cp) => !ips.includes(cp));
        if (missing.length > 0) throw new Error(`control plane nodes are not etcd members: ${missing.join(", ")}`);
        const extra = ips.filter((ip) => !nodes.controlPlanes.includes(ip));
        if (extra.length > 0) throw new Error(`etcd members are not control plane nodes: ${extra.join(", ")}`);
      },
    },
    {
      description: "apid to be ready",
      run: async (signal) => {
        for (const node of all) await atNode(node, () => machine.version({}, opts(node, signal)));
      },
    },
    {
      description: "all nodes memory sizes",
      run: async (signal) => {
        for (const [type, list] of [
          ["controlplane", nodes.controlPlanes],
          ["worker", nodes.workers],
        ] as const) {
          for (const node of list) {
            const r = await atNode(node, () => machine.memory({}, opts(node, signal)));
            const total = Number(r.messages[0]?.meminfo?.memtotal ?? 0n);
            if (total < MIN_MEMORY_KB[type]) {
              throw new Error(
                `${node}: memory ${Math.round(total / 1024)} MiB is below the minimum for a ${type} node`,
              );
            }
          }
        }
      },
    },
    {
      description: "all nodes disk sizes",
      run: async (signal) => {
        for (const node of all) {
          const r = await atNode(node, () => storage.disks({}, opts(node, signal)));
          const disks = r.messages[0]?.disks ?? [];
          if (!disks.some((d) => d.size >= MIN_DISK_BYTES)) throw new Error(`${node}: no disk of at least 6 GB`);
        }
      },
    },
    { description: "kubelet to be healthy" },
    {
      description: "all nodes to finish boot sequence",
      run: async (signal) => {
        for (const node of all) {
          const r = await atNode(node, () =>
            state.get(
              { namespace: "runtime", type: "MachineStatuses.runtime.talos.dev", id: "machine" },
              opts(node, signal),
            ),
          );
          const status = parse(r.resource?.spec?.yamlSpec ?? "null") as {
            stage?: string;
            status?: { ready?: boolean; unmetConditions?: { name: string; reason: string }[] };
          } | null;
          if (status?.stage !== "running") throw new Error(`${node}: stage is ${status?.stage ?? "unknown"}`);
          if (status.status?.ready !== true) {
            const why = status.status?.unmetConditions?.map((c) => c.reason).join(", ") ?? "";
            throw new Error(`${node}: not ready${why !== "" ? `: ${why}` : ""}`);
          }
        }
      },
    },
    { description: "all k8s nodes to report" },
    { description: "all k8s nodes to report ready" },
    { description: "all control plane static pods to be running" },
    { description: "all control plane components to be ready" },
    { description: "kube-proxy to report ready" },
    { description: "coredns to report ready" },
    { description: "all k8s nodes to report schedulable" },
  ];
}

/**
 * Runs checks in order, each until it passes or the deadline: reports `waiting for <check>: ...` at the
 * start, the reason each time it changes, then `OK` (or `SKIP` for checks that do not apply yet). Throws
 * naming the first check that did not pass in time.
 */
export async function runHealthChecks(
  checks: readonly HealthCheck[],
  deadline: number,
  report: (line: string) => void,
  signal: AbortSignal = new AbortController().signal,
): Promise<void> {
  for (const check of checks) {
    if (check.run === undefined) {
      report(`waiting for ${check.description}: SKIP (Kubernetes is not running on this cluster yet)`);
      continue;
    }
    report(`waiting for ${check.description}: ...`);
    let last = "";
    for (;;) {
      if (signal.aborted) throw new Error(`health check canceled while waiting for ${check.description}`);
      try {
        await check.run(signal);
        report(`waiting for ${check.description}: OK`);
        break;
      } catch (e) {
        const reason = errorText(e);
        if (reason !== last) {
          report(`waiting for ${check.description}: ${reason}`);
          last = reason;
        }
        if (Date.now() > deadline) {
          throw new ConnectError(`${check.description}: timed out: ${reason}`, Code.DeadlineExceeded);
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}
