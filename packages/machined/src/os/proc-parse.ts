// Parsers for the text files of Linux procfs that the monitoring RPCs report (Talos reads them through
// prometheus/procfs and its own miniprocfs). Pure: each takes the file's text and returns the API message.
import { create } from "@bufbuild/protobuf";
import {
  type CPUInfo,
  CPUInfoSchema,
  type CPUStat,
  CPUStatSchema,
  type DiskStat,
  DiskStatSchema,
  type LoadAvg,
  LoadAvgSchema,
  type MemInfo,
  MemInfoSchema,
  type NetDev,
  NetDevSchema,
  SoftIRQStatSchema,
  type SystemStat,
  SystemStatSchema,
} from "@talos/machinery/api";

/** USER_HZ: the unit of the tick counters in /proc/stat and /proc/<pid>/stat (100 on every Linux ABI). */
export const USER_HZ = 100;

const u64 = (s: string | undefined): bigint => {
  if (s === undefined || !/^\d+$/.test(s)) return 0n;
  return BigInt(s);
};
const num = (s: string | undefined): number => {
  const n = Number(s);
  return s === undefined || s === "" || Number.isNaN(n) ? 0 : n;
};

/**
 * /proc/meminfo. Values stay in the file's own unit (kB for sizes, a count for HugePages_*), as Talos reports
 * them. Keys map to the MemInfo fields by lower-casing and dropping `(`, `)` and `_` (`Active(anon)` →
 * `activeanon`, `Committed_AS` → `committedas`, `DirectMap4k` → `directmap4k`); keys MemInfo lacks are ignored.
 */
export function parseMeminfo(text: string): MemInfo {
  const info = create(MemInfoSchema);
  const fields = new Set(MemInfoSchema.fields.map((f) => f.localName));
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).toLowerCase().replace(/[()_]/g, "");
    if (!fields.has(key)) continue;
    (info as unknown as Record<string, bigint>)[key] = u64(
      line
        .slice(colon + 1)
        .trim()
        .split(/\s+/)[0],
    );
  }
  return info;
}

/** /proc/loadavg: `0.53 0.76 0.61 1/123 27649`. */
export function parseLoadAvg(text: string): LoadAvg {
  const [l1, l5, l15] = text.trim().split(/\s+/);
  return create(LoadAvgSchema, { load1: num(l1), load5: num(l5), load15: num(l15) });
}

function cpuStat(values: string[]): CPUStat {
  // Ticks → seconds, like procfs.
  const v = (i: number) => num(values[i]) / USER_HZ;
  return create(CPUStatSchema, {
    user: v(0),
    nice: v(1),
    system: v(2),
    idle: v(3),
    iowait: v(4),
    irq: v(5),
    softIrq: v(6),
    steal: v(7),
    guest: v(8),
    guestNice: v(9),
  });
}

/** /proc/stat: CPU times in seconds, interrupts, context switches, boot time and process counters. */
export function parseStat(text: string): SystemStat {
  const stat = create(SystemStatSchema);
  for (const line of text.split("\n")) {
    const parts = line.trim().split(/\s+/);
    const key = parts[0] ?? "";
    const rest = parts.slice(1);
    if (key === "cpu") {
      stat.cpuTotal = cpuStat(rest);
    } else if (/^cpu\d+$/.test(key)) {
      // Indexed by CPU number; a gap (offline CPU) stays zero, as in procfs.
      const id = Number(key.slice(3));
      while (stat.cpu.length <= id) stat.cpu.push(create(CPUStatSchema));
      stat.cpu[id] = cpuStat(rest);
    } else if (key === "intr") {
      stat.irqTotal = u64(rest[0]);
      stat.irq = rest.slice(1).map(u64);
    } else if (key === "ctxt") {
      stat.contextSwitches = u64(rest[0]);
    } else if (key === "btime") {
      stat.bootTime = u64(rest[0]);
    } else if (key === "processes") {
      stat.processCreated = u64(rest[0]);
    } else if (key === "procs_running") {
      stat.processRunning = u64(rest[0]);
    } else if (key === "procs_blocked") {
      stat.processBlocked = u64(rest[0]);
    } else if (key === "softirq") {
      const v = rest.map(u64);
      stat.softIrqTotal = v[0] ?? 0n;
      stat.softIrq = create(SoftIRQStatSchema, {
        hi: v[1] ?? 0n,
        timer: v[2] ?? 0n,
        netTx: v[3] ?? 0n,
        netRx: v[4] ?? 0n,
        block: v[5] ?? 0n,
        blockIoPoll: v[6] ?? 0n,
        tasklet: v[7] ?? 0n,
        sched: v[8] ?? 0n,
        hrtimer: v[9] ?? 0n,
        rcu: v[10] ?? 0n,
      });
    }
  }
  return stat;
}

/**
 * /proc/cpuinfo: one CPUInfo per `processor` block. x86 keys map one to one; on ARM `BogoMIPS` and `Features`
 * fill bogo_mips and flags, and `CPU implementer` / `CPU part` / `CPU revision` fill vendor_id / model / stepping.
 */
export function parseCpuinfo(text: string): CPUInfo[] {
  const cpus: CPUInfo[] = [];
  let cur: CPUInfo | undefined;
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === "processor") {
      if (!/^\d+$/.test(value)) continue;
      cur = create(CPUInfoSchema, { processor: Number(value) });
      cpus.push(cur);
      continue;
    }
    if (cur === undefined) continue;
    switch (key) {
      case "vendor_id":
      case "CPU implementer":
        cur.vendorId = value;
        break;
      case "cpu family":
        cur.cpuFamily = value;
        break;
      case "model":
      case "CPU part":
        cur.model = value;
        break;
      case "model name":
        cur.modelName = value;
        break;
      case "stepping":
      case "CPU revision":
        cur.stepping = value;
        break;
      case "microcode":
        cur.microcode = value;
        break;
      case "cpu MHz":
        cur.cpuMhz = num(value);
        break;
      case "cache size":
        cur.cacheSize = value;
        break;
      case "physical id":
        cur.physicalId = value;
        break;
      case "siblings":
        cur.siblings = num(value);
        break;
      case "core id":
        cur.coreId = value;
        break;
      case "cpu cores":
        cur.cpuCores = num(value);
        break;
      case "apicid":
        cur.apicId = value;
        break;
      case "initial apicid":
        cur.initialApicId = value;
        break;
      case "fpu":
        cur.fpu = value;
        break;
      case "fpu_exception":
        cur.fpuException = value;
        break;
      case "cpuid level":
        cur.cpuIdLevel = num(value);
        break;
      case "wp":
        cur.wp = value;
        break;
      case "flags":
      case "Features":
        cur.flags = value === "" ? [] : value.split(/\s+/);
        break;
      case "bugs":
        cur.bugs = value === "" ? [] : value.split(/\s+/);
        break;
      case "bogomips":
      case "BogoMIPS":
        cur.bogoMips = num(value);
        break;
      case "clflush size":
        cur.clFlushSize = num(value);
        break;
      case "cache_alignment":
        cur.cacheAlignment = num(value);
        break;
      case "address sizes":
        cur.addressSizes = value;
        break;
      case "power management":
        cur.powerManagement = value;
        break;
    }
  }
  return cpus;
}

const DISK_FIELDS = [
  "readCompleted",
  "readMerged",
  "readSectors",
  "readTimeMs",
  "writeCompleted",
  "writeMerged",
  "writeSectors",
  "writeTimeMs",
  "ioInProgress",
  "ioTimeMs",
  "ioTimeWeightedMs",
  "discardCompleted",
  "discardMerged",
  "discardSectors",
  "discardTimeMs",
] as const;

/**
 * /proc/diskstats: every line (Talos lists loop devices and partitions too), and their sum as `total`
 * (name left empty). Kernels before 4.18 have no discard columns; those read as 0.
 */
export function parseDiskstats(text: string): { total: DiskStat; devices: DiskStat[] } {
  const total = create(DiskStatSchema);
  const devices: DiskStat[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14) continue;
    const d = create(DiskStatSchema, { name: f[2] ?? "" });
    DISK_FIELDS.forEach((k, i) => {
      d[k] = u64(f[3 + i]);
      total[k] += d[k];
    });
    devices.push(d);
  }
  return { total, devices };
}

const NETDEV_FIELDS = [
  "rxBytes",
  "rxPackets",
  "rxErrors",
  "rxDropped",
  "rxFifo",
  "rxFrame",
  "rxCompressed",
  "rxMulticast",
  "txBytes",
  "txPackets",
  "txErrors",
  "txDropped",
  "txFifo",
  "txCollisions",
  "txCarrier",
  "txCompressed",
] as const;

/**
 * /proc/net/dev: one NetDev per interface in file order, and their sum as `total`, whose name is the sorted
 * interface names joined by ", " (procfs NetDev.Total()).
 */
export function parseNetDev(text: string): { total: NetDev; devices: NetDev[] } {
  const total = create(NetDevSchema);
  const devices: NetDev[] = [];
  for (const line of text.split("\n").slice(2)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const values = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    const d = create(NetDevSchema, { name: line.slice(0, colon).trim() });
    NETDEV_FIELDS.forEach((k, i) => {
      d[k] = u64(values[i]);
      total[k] += d[k];
    });
    devices.push(d);
  }
  total.name = devices
    .map((d) => d.name)
    .sort()
    .join(", ");
  return { total, devices };
}

/** Undoes the octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash) of /proc/mounts fields. */
export function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** /proc/mounts (fstab format): device, mount point, fs type, options; fields unescaped. */
export function parseMounts(text: string): { source: string; target: string; fstype: string; options: string }[] {
  const mounts: { source: string; target: string; fstype: string; options: string }[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 2 || f[0] === "") continue;
    mounts.push({
      source: unescapeMountField(f[0] ?? ""),
      target: unescapeMountField(f[1] ?? ""),
      fstype: f[2] ?? "",
      options: f[3] ?? "",
    });
  }
  return mounts;
}

/** The fields of /proc/<pid>/stat the Processes RPC reports. */
export interface PidStat {
  pid: number;
  /** The comm, from between the first `(` and the last `)`: it may itself contain spaces and parentheses. */
  comm: string;
  state: string;
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  threads: number;
  /** Bytes. */
  vsize: bigint;
  /** Pages. */
  rss: bigint;
}

/** /proc/<pid>/stat, or undefined if the text is not in that format. */
export function parsePidStat(text: string): PidStat | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const f = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  if (f.length < 22) return undefined;
  return {
    pid: num(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: f[0] ?? "",
    ppid: num(f[1]),
    cpuTicks: num(f[11]) + num(f[12]),
    threads: num(f[17]),
    vsize: u64(f[20]),
    // rss is signed in the kernel's format string; it is never negative in practice.
    rss: u64(f[21]),
  };
}

/** /proc/<pid>/cmdline: NUL-separated argv → space-joined, trailing NULs dropped (Talos's miniprocfs). */
export function parseCmdline(raw: Buffer): string {
  let end = raw.length;
  while (end > 0 && raw[end - 1] === 0) end--;
  return raw.subarray(0, end).toString("utf8").replaceAll("\0", " ");
}
