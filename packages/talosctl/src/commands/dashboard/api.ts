// The calls the dashboard makes, one node at a time (one-to-one through the endpoint's apid, so a node that
// is down fails alone), reduced to what the screen shows. An interface so tests can stand in for a node.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { cosi, MachineService, type Metadata } from "@talos/machinery/api";
import { parse } from "yaml";
import { metadataErrorText } from "../../transport/node-replies.ts";
import { formatRpcError } from "../../transport/rpc-error.ts";
import { nodeHeaders, type TalosConnection } from "../../transport/talos-client.ts";
import { healthStatus } from "../service.ts";
import type { CpuTimes, ServiceRow } from "./model.ts";

export interface SystemSample {
  readonly bootTime: number;
  readonly cpuTotal: CpuTimes | undefined;
}

export interface MemorySample {
  readonly totalKiB: number;
  readonly availableKiB: number;
}

export interface MachineStatus {
  readonly stage: string;
  readonly ready: boolean;
  readonly unmetConditions: string[];
}

/** A byte stream (log chunks) that ends when `signal` aborts. */
export type ByteStream = AsyncIterable<Uint8Array>;

export interface DashboardApi {
  version(node: string): Promise<string>;
  hostname(node: string): Promise<string>;
  systemStat(node: string): Promise<SystemSample>;
  memory(node: string): Promise<MemorySample>;
  cpuInfo(node: string): Promise<{ count: number; mhz: number | undefined }>;
  processCount(node: string): Promise<number>;
  loadAvg(node: string): Promise<[number, number, number]>;
  services(node: string): Promise<ServiceRow[]>;
  /** MachineStatuses (runtime); undefined when the node has none. */
  machineStatus(node: string): Promise<MachineStatus | undefined>;
  /** `machine.type` of the node's machine config; undefined when it has none (maintenance mode). */
  machineType(node: string): Promise<string | undefined>;
  /** How many cluster Members the node knows. */
  memberCount(node: string): Promise<number>;
  /** NodeAddresses `current` (else `default`), as CIDRs. */
  addresses(node: string): Promise<string[]>;
  /** The kernel log, followed (`tail`: only new messages). */
  dmesg(node: string, tail: boolean, signal: AbortSignal): ByteStream;
  /** A service's log, followed, from its last `tailLines` lines (-1: all). */
  serviceLogs(node: string, id: string, tailLines: number, signal: AbortSignal): ByteStream;
}

/** An error as the dashboard shows it: `rpc error: code = X desc = ...` for API failures. */
export function errorText(e: unknown): string {
  if (e instanceof ConnectError) return formatRpcError(e);
  return e instanceof Error ? e.message : String(e);
}

/** Whether an error is a missing resource (not a failure: the node just has none). */
export function isNotFound(e: unknown): boolean {
  return e instanceof ConnectError && e.code === Code.NotFound;
}

/** The first element of a reply; a node error embedded in it (one-to-many replies) is thrown. */
function first<T extends { metadata?: Metadata | undefined }>(reply: { messages: T[] }): T {
  const m = reply.messages[0];
  if (m === undefined) throw new Error("empty reply");
  if (m.metadata !== undefined && m.metadata.error !== "") throw new Error(metadataErrorText(m.metadata));
  return m;
}

function yamlSpec(res: cosi.Resource | undefined): Record<string, unknown> {
  const text = res?.spec?.yamlSpec ?? "";
  if (text === "") return {};
  const v: unknown = parse(text);
  return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
}

const MACHINE_STATUS = { namespace: "runtime", type: "MachineStatuses.runtime.talos.dev", id: "machine" };
const MACHINE_CONFIG = { namespace: "config", type: "MachineConfigs.config.talos.dev", id: "v1alpha1" };
const MEMBERS = { namespace: "cluster", type: "Members.cluster.talos.dev" };
const NODE_ADDRESSES = { namespace: "network", type: "NodeAddresses.net.talos.dev" };

/** The dashboard's calls over a talosctl connection. */
export function createDashboardApi(conn: TalosConnection, timeoutMs: number): DashboardApi {
  const machine = createClient(MachineService, conn.transport);
  const state = createClient(cosi.State, conn.transport);
  const opts = (node: string) => ({ headers: nodeHeaders(conn, node), timeoutMs });

  async function getSpec(node: string, ref: { namespace: string; type: string; id: string }) {
    try {
      const r = await state.get(ref, opts(node));
      return yamlSpec(r.resource);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async function* stream<T extends { metadata?: Metadata | undefined; bytes: Uint8Array }>(
    items: AsyncIterable<T>,
  ): ByteStream {
    for await (const item of items) {
      if (item.metadata !== undefined && item.metadata.error !== "") throw new Error(metadataErrorText(item.metadata));
      if (item.bytes.length > 0) yield item.bytes;
    }
  }

  return {
    async version(node) {
      return first(await machine.version({}, opts(node))).version?.tag ?? "";
    },
    async hostname(node) {
      return first(await machine.hostname({}, opts(node))).hostname;
    },
    async systemStat(node) {
      const s = first(await machine.systemStat({}, opts(node)));
      const c = s.cpuTotal;
      return {
        bootTime: Number(s.bootTime),
        cpuTotal:
          c === undefined
            ? undefined
            : {
                user: c.user,
                nice: c.nice,
                system: c.system,
                idle: c.idle,
                iowait: c.iowait,
                irq: c.irq,
                softIrq: c.softIrq,
                steal: c.steal,
              },
      };
    },
    async memory(node) {
      const m = first(await machine.memory({}, opts(node))).meminfo;
      return { totalKiB: Number(m?.memtotal ?? 0n), availableKiB: Number(m?.memavailable ?? 0n) };
    },
    async cpuInfo(node) {
      const cpus = first(await machine.cPUInfo({}, opts(node))).cpuInfo;
      return { count: cpus.length, mhz: cpus[0]?.cpuMhz };
    },
    async processCount(node) {
      return first(await machine.processes({}, opts(node))).processes.length;
    },
    async loadAvg(node) {
      const l = first(await machine.loadAvg({}, opts(node)));
      return [l.load1, l.load5, l.load15];
    },
    async services(node) {
      return first(await machine.serviceList({}, opts(node))).services.map((s) => ({
        id: s.id,
        state: s.state,
        health: healthStatus(s),
      }));
    },
    async machineStatus(node) {
      const spec = await getSpec(node, MACHINE_STATUS);
      if (spec === undefined) return undefined;
      const status = (spec["status"] ?? {}) as { ready?: unknown; unmetConditions?: unknown };
      const unmet = Array.isArray(status.unmetConditions) ? status.unmetConditions : [];
      return {
        stage: String(spec["stage"] ?? "unknown"),
        ready: status.ready === true,
        unmetConditions: unmet.map((c: { name?: unknown }) => String(c?.name ?? "")),
      };
    },
    async machineType(node) {
      const spec = await getSpec(node, MACHINE_CONFIG);
      const m = spec?.["machine"] as { type?: unknown } | undefined;
      return typeof m?.type === "string" ? m.type : undefined;
    },
    async memberCount(node) {
      let n = 0;
      for await (const r of state.list(MEMBERS, opts(node))) if (r.resource !== undefined) n++;
      return n;
    },
    async addresses(node) {
      for (const id of ["current", "default"]) {
        const spec = await getSpec(node, { ...NODE_ADDRESSES, id });
        if (spec !== undefined && Array.isArray(spec["addresses"])) return spec["addresses"].map(String);
      }
      return [];
    },
    dmesg(node, tail, signal) {
      return stream(machine.dmesg({ follow: true, tail }, { headers: nodeHeaders(conn, node), signal }));
    },
    serviceLogs(node, id, tailLines, signal) {
      return stream(
        machine.logs(
          { namespace: "system", id, follow: true, tailLines },
          { headers: nodeHeaders(conn, node), signal },
        ),
      );
    },
  };
}
