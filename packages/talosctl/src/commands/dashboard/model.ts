// The dashboard's data as the screen shows it, and the pure computations behind it: CPU usage from
// SystemStat deltas, memory usage, Talos's header line, graphs. No I/O, no React.
import { goDurationSeconds } from "../../output/go-format.ts";

/** A CPU time breakdown (`/proc/stat` cpu line), as SystemStat's CPUStat carries it. */
export interface CpuTimes {
  readonly user: number;
  readonly nice: number;
  readonly system: number;
  readonly idle: number;
  readonly iowait: number;
  readonly irq: number;
  readonly softIrq: number;
  readonly steal: number;
}

/** A service as `talosctl service` lists it. */
export interface ServiceRow {
  readonly id: string;
  readonly state: string;
  /** `OK`, `Fail` or `?`. */
  readonly health: string;
}

/** Where the log panel's lines come from. */
export type LogSource =
  | { readonly kind: "kernel" }
  /** The kernel log could not be read on the node: `logs machined` instead, with the reason. */
  | { readonly kind: "machined"; readonly reason: string };

/** Everything the screen shows about one node; fields stay undefined until first known. */
export interface NodeData {
  /** The node as given with `-n` (what the calls target). */
  readonly node: string;
  hostname?: string;
  version?: string;
  /** Boot time, seconds since the epoch. */
  bootTime?: number;
  cpus?: number;
  cpuMhz?: number;
  /** MemTotal in KiB. */
  memTotalKiB?: number;
  processes?: number;
  /** CPU usage over the last interval, 0..1 (needs two SystemStat samples). */
  cpuUsage?: number;
  /** 1 - MemAvailable/MemTotal, 0..1. */
  memUsage?: number;
  load?: readonly [number, number, number];
  stage?: string;
  ready?: boolean;
  unmetConditions?: readonly string[];
  machineType?: string;
  members?: number;
  addresses?: readonly string[];
  services?: readonly ServiceRow[];
  /** Last samples, oldest first. */
  readonly cpuHistory: number[];
  readonly memHistory: number[];
  /** The errors of the last poll (a node that is down has them all); empty when it answered. */
  errors: string[];
  /** When the last poll finished (ms since the epoch). */
  polledAt?: number;
  lastCpu?: CpuTimes;
  /** The log panel: newest last. */
  readonly logLines: string[];
  logSource: LogSource;
  /** The log stream's current failure (it is retried). */
  logError?: string;
}

/** How many samples of each graph are kept. */
export const HISTORY = 240;
/** How many log lines are kept per node. */
export const LOG_LINES = 1000;

export function newNodeData(node: string): NodeData {
  return { node, cpuHistory: [], memHistory: [], errors: [], logLines: [], logSource: { kind: "kernel" } };
}

/** Appends to a bounded history. */
export function pushBounded<T>(list: T[], items: readonly T[], max: number): void {
  list.push(...items);
  if (list.length > max) list.splice(0, list.length - max);
}

/**
 * CPU usage between two samples, as Talos's dashboard computes it (`CPUUsageByName("usage")`): the non-idle
 * share of the time that passed. Undefined when no time passed (or the counters went backwards).
 */
export function cpuUsage(prev: CpuTimes, cur: CpuTimes): number | undefined {
  const d = (k: keyof CpuTimes) => cur[k] - prev[k];
  const idle = d("idle") + d("iowait");
  const busy = d("user") + d("nice") + d("system") + d("irq") + d("softIrq") + d("steal");
  const total = idle + busy;
  if (!(total > 0) || busy < 0) return undefined;
  return Math.min(1, Math.max(0, busy / total));
}

/** Memory in use as Talos counts it: `1 - MemAvailable / MemTotal`. */
export function memUsage(totalKiB: number, availableKiB: number): number | undefined {
  if (!(totalKiB > 0)) return undefined;
  return Math.min(1, Math.max(0, 1 - availableKiB / totalKiB));
}

const IEC_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/** go-humanize `IBytes`: IEC units, one decimal below 10 (`15 GiB`, `1.5 GiB`, `512 B`). */
export function humanizeIBytes(bytes: number): string {
  if (bytes < 10) return `${Math.trunc(bytes)} B`;
  const e = Math.min(Math.floor(Math.log(bytes) / Math.log(1024)), IEC_UNITS.length - 1);
  const val = Math.floor((bytes / 1024 ** e) * 10 + 0.5) / 10;
  return val < 10 ? `${val.toFixed(1)} ${IEC_UNITS[e]}` : `${val.toFixed(0)} ${IEC_UNITS[e]}`;
}

/** A CPU frequency as Talos's header prints it: `2.4GHz`, `800MHz`. */
export function formatCpuFrequency(mhz: number): string {
  if (mhz >= 1000) return `${(mhz / 1000).toFixed(1)}GHz`;
  return `${Math.round(mhz)}MHz`;
}

/** A 0..1 fraction as `12.3%`. */
export function percent(fraction: number | undefined): string {
  return fraction === undefined ? "n/a" : `${(fraction * 100).toFixed(1)}%`;
}

/** The header's parts after the hostname: `(<version>): uptime <d>, <n>x<freq>, <RAM>, PROCS n, CPU x%, RAM y%`. */
export function headerDetails(d: NodeData, nowMs: number): string {
  const uptime = d.bootTime !== undefined ? goDurationSeconds(nowMs - d.bootTime * 1000) : "n/a";
  const cpus =
    d.cpus !== undefined ? `${d.cpus}x${d.cpuMhz !== undefined ? formatCpuFrequency(d.cpuMhz) : "n/a"}` : "n/a";
  const ram = d.memTotalKiB !== undefined ? `${humanizeIBytes(d.memTotalKiB * 1024)}` : "n/a";
  const procs = d.processes !== undefined ? String(d.processes) : "n/a";
  return (
    `(${d.version ?? "n/a"}): uptime ${uptime}, ${cpus}, ${ram}, PROCS ${procs}, ` +
    `CPU ${percent(d.cpuUsage)}, RAM ${percent(d.memUsage)}`
  );
}

/** The whole header line of a node, as plain text. */
export function headerLine(d: NodeData, nowMs: number): string {
  return `${d.hostname ?? d.node} ${headerDetails(d, nowMs)}`;
}

const EIGHTHS = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;

/** The last `width` values (0..1) as a one-line sparkline, right-aligned (older samples scroll off left). */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(Math.max(0, values.length - width));
  const line = shown.map((v) => EIGHTHS[Math.round(clamp01(v) * 8)] ?? " ").join("");
  return line.padStart(width, " ");
}

/**
 * The last `width` values (0..1) as a bar graph `height` rows tall (top row first), each column filled from
 * the bottom with full blocks and an eighth block on top; older samples scroll off to the left.
 */
export function blockGraph(values: readonly number[], width: number, height: number): string[] {
  const shown = values.slice(Math.max(0, values.length - width));
  const pad = width - shown.length;
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    let row = " ".repeat(Math.max(0, pad));
    for (const v of shown) {
      const eighths = Math.round(clamp01(v) * height * 8) - r * 8;
      // A non-zero value always shows at least a sliver on the bottom row.
      const cell = eighths >= 8 ? 8 : eighths > 0 ? eighths : r === 0 && v > 0 ? 1 : 0;
      row += EIGHTHS[cell];
    }
    rows.push(row);
  }
  return rows;
}

/** A horizontal gauge `[█████     ]` of a 0..1 value, `width` cells inside the brackets. */
export function gauge(value: number | undefined, width: number): string {
  const v = clamp01(value ?? 0);
  const cells = v * width;
  const full = Math.floor(cells);
  const part = Math.round((cells - full) * 8);
  const partial = full < width && part > 0 ? (["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][part] ?? "") : "";
  return `[${"█".repeat(full)}${partial}${" ".repeat(Math.max(0, width - full - (partial === "" ? 0 : 1)))}]`;
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

/** A log line made safe for a fixed layout: no escape sequences or control characters, tabs expanded. */
export function sanitizeLogLine(line: string): string {
  const noEscapes = line.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-_]/g, "");
  return noEscapes.replace(/\t/g, "    ").replace(/[\x00-\x1f\x7f]/g, "");
}

/** The log panel's title for a source. */
export function logTitle(source: LogSource): string {
  if (source.kind === "kernel") return "Kernel log (dmesg)";
  return `machined log (kernel log unavailable: ${source.reason})`;
}

/** Cuts a string to at most `width` characters (with `…` when cut). */
export function truncate(text: string, width: number): string {
  if (width <= 0) return "";
  if (text.length <= width) return text;
  return width === 1 ? "…" : `${text.slice(0, width - 1)}…`;
}
