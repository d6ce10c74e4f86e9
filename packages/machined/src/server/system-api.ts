// machine.MachineService: the host-reading RPCs (talosctl memory, processes, mounts, netstat, ls, read, du, and the
// dashboard's polling set), answered from the /proc of the machine the node runs on. A node that is a plain
// process or PID 1 of a container sees the /proc of its PID namespace: the host's memory, CPUs, disks and
// (in its network namespace) interfaces, and the processes it can see.
import type { Stats } from "node:fs";
import { lstat, open, readFile, realpath, stat, statfs } from "node:fs/promises";
import { basename } from "node:path";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import {
  CPUInfoResponseSchema,
  DataSchema,
  DiskStatsResponseSchema,
  type DiskUsageInfo,
  DiskUsageInfoSchema,
  type DiskUsageRequest,
  FileInfoSchema,
  type ListRequest,
  ListRequest_Type,
  LoadAvgResponseSchema,
  type MachineService,
  MemoryResponseSchema,
  type MountStat,
  MountStatSchema,
  MountsResponseSchema,
  NetstatResponseSchema,
  NetworkDeviceStatsResponseSchema,
  ProcessesResponseSchema,
  SystemStatResponseSchema,
} from "@talos/machinery/api";
import {
  absolutePath,
  errnoCode,
  goFileMode,
  goPathError,
  sortedNames,
  WalkRootError,
  walkTree,
} from "../os/file-walk.ts";
import { netstat } from "../os/proc-netstat.ts";
import {
  parseCpuinfo,
  parseDiskstats,
  parseLoadAvg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseStat,
} from "../os/proc-parse.ts";
import { listProcesses } from "../os/proc-processes.ts";
import { packetCapture } from "./packet-capture.ts";

export interface SystemApiOptions {
  /** Where procfs is mounted; tests point it at a fixture directory. Default `/proc`. */
  procRoot?: string;
  /** Where sysfs is mounted (PacketCapture looks interfaces up there). Default `/sys`. */
  sysRoot?: string;
}

/** Bytes per common.Data message of Read; clients concatenate, so the boundary is arbitrary. */
const READ_CHUNK = 64 * 1024;

/** An fs error as the gRPC status Talos's callers can act on. */
function fsError(message: string, e: unknown): ConnectError {
  switch (errnoCode(e)) {
    case "ENOENT":
    case "ENOTDIR":
      return new ConnectError(message, Code.NotFound);
    case "EACCES":
    case "EPERM":
      return new ConnectError(message, Code.PermissionDenied);
    default:
      return new ConnectError(message, Code.Unknown);
  }
}

/**
 * memory, processes, mounts, loadAvg, systemStat, cPUInfo, diskStats, networkDeviceStats, netstat (unary, one
 * element in `messages`, metadata unset) and the streams list, read, diskUsage, packetCapture (refused).
 */
export function createSystemApi(opts: SystemApiOptions = {}): Partial<ServiceImpl<typeof MachineService>> {
  const proc = opts.procRoot ?? "/proc";
  const sys = opts.sysRoot ?? "/sys";
  const readProc = (name: string) =>
    readFile(`${proc}/${name}`, "utf8").catch((e: unknown) => {
      throw fsError(goPathError("open", `${proc}/${name}`, e), e);
    });

  return {
    async memory() {
      const meminfo = parseMeminfo(await readProc("meminfo"));
      return create(MemoryResponseSchema, { messages: [{ meminfo }] });
    },

    async processes() {
      const processes = await listProcesses(proc);
      return create(ProcessesResponseSchema, { messages: [{ processes }] });
    },

    async mounts() {
      return create(MountsResponseSchema, { messages: [{ stats: await mountStats(await readProc("mounts")) }] });
    },

    async loadAvg() {
      const l = parseLoadAvg(await readProc("loadavg"));
      return create(LoadAvgResponseSchema, { messages: [{ load1: l.load1, load5: l.load5, load15: l.load15 }] });
    },

    async systemStat() {
      const s = parseStat(await readProc("stat"));
      return create(SystemStatResponseSchema, {
        messages: [
          {
            bootTime: s.bootTime,
            cpuTotal: s.cpuTotal,
            cpu: s.cpu,
            irqTotal: s.irqTotal,
            irq: s.irq,
            contextSwitches: s.contextSwitches,
            processCreated: s.processCreated,
            processRunning: s.processRunning,
            processBlocked: s.processBlocked,
            softIrqTotal: s.softIrqTotal,
            softIrq: s.softIrq,
          },
        ],
      });
    },

    async cPUInfo() {
      const cpuInfo = parseCpuinfo(await readProc("cpuinfo"));
      return create(CPUInfoResponseSchema, { messages: [{ cpuInfo }] });
    },

    async diskStats() {
      const { total, devices } = parseDiskstats(await readProc("diskstats"));
      return create(DiskStatsResponseSchema, { messages: [{ total, devices }] });
    },

    async networkDeviceStats() {
      const { total, devices } = parseNetDev(await readProc("net/dev"));
      return create(NetworkDeviceStatsResponseSchema, { messages: [{ total, devices }] });
    },

    async netstat(req) {
      return create(NetstatResponseSchema, { messages: [{ connectrecord: await netstat(req, proc) }] });
    },

    list: (req, ctx) => list(req, ctx),
    read: (req, ctx) => read(req.path, ctx),
    diskUsage: (req, ctx) => diskUsage(req, ctx),
    packetCapture: (req) => packetCapture(req, sys),
  };
}

/**
 * Every /proc/mounts entry whose mount point is a directory, with statfs sizes in bytes (Talos lists the
 * pseudo filesystems too, at size 0). Mount points that cannot be stat'ed are skipped: Talos would fail the
 * whole call, which on a container node (masked /proc paths, other users' FUSE mounts) loses everything.
 */
async function mountStats(text: string): Promise<MountStat[]> {
  const stats: MountStat[] = [];
  for (const m of parseMounts(text)) {
    try {
      if (!(await stat(m.target)).isDirectory()) continue;
      const fs = await statfs(m.target, { bigint: true });
      stats.push(
        create(MountStatSchema, {
          filesystem: m.source,
          size: fs.bsize * fs.blocks,
          available: fs.bsize * fs.bavail,
          mountedOn: m.target,
        }),
      );
    } catch {}
  }
  return stats;
}

function fileTypeMatches(types: readonly ListRequest_Type[], st: Stats): boolean {
  if (types.length === 0) return true;
  return types.some((t) =>
    t === ListRequest_Type.REGULAR
      ? st.isFile()
      : t === ListRequest_Type.DIRECTORY
        ? st.isDirectory()
        : t === ListRequest_Type.SYMLINK && st.isSymbolicLink(),
  );
}

/**
 * List: the root and what is under it, pre-order. Without `recurse` (or with recursion_depth 1) the root's
 * children; recursion_depth N reaches N levels down; `recurse` with depth 0 is unlimited. `types` filters what
 * is sent, not what is entered. Entries that cannot be read are sent with `error`; a missing root fails.
 */
async function* list(req: ListRequest, ctx: HandlerContext) {
  const root = absolutePath(req.root);
  const maxDepth = req.recurse ? (req.recursionDepth === 0 ? -1 : req.recursionDepth) : 0;
  try {
    for await (const item of walkTree(root, { maxDepth, signal: ctx.signal })) {
      if (item.error !== undefined || item.stats === undefined) {
        yield create(FileInfoSchema, { name: item.fullPath, relativeName: item.relPath, error: item.error ?? "" });
        continue;
      }
      const st = item.stats;
      if (!fileTypeMatches(req.types, st)) continue;
      yield create(FileInfoSchema, {
        name: item.fullPath,
        size: BigInt(st.size),
        mode: goFileMode(st.mode),
        modified: BigInt(Math.floor(st.mtimeMs / 1000)),
        isDir: st.isDirectory(),
        link: item.link,
        relativeName: item.relPath,
        uid: st.uid,
        gid: st.gid,
      });
    }
  } catch (e) {
    if (e instanceof WalkRootError) throw fsError(e.message, e.cause);
    throw e;
  }
}

/** Read: a regular file's bytes (following symlinks), read to EOF so procfs files of size 0 work too. */
async function* read(path: string, ctx: HandlerContext) {
  const p = absolutePath(path);
  let st: Stats;
  try {
    st = await stat(p);
  } catch (e) {
    throw fsError(goPathError("stat", p, e), e);
  }
  if (!st.isFile()) throw new ConnectError("path must be a regular file", Code.InvalidArgument);
  const fh = await open(p, "r").catch((e: unknown) => {
    throw fsError(goPathError("open", p, e), e);
  });
  try {
    for (;;) {
      ctx.signal.throwIfAborted();
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      const { bytesRead } = await fh.read(buf, 0, READ_CHUNK, null);
      if (bytesRead === 0) return;
      yield create(DataSchema, { bytes: buf.subarray(0, bytesRead) });
    }
  } finally {
    await fh.close();
  }
}

/**
 * DiskUsage, per requested path: apparent sizes (a directory's own size plus everything under it), files as
 * they are met and each directory after its contents, like `du`. Depth counts from the path (0); entries at
 * depth >= recursion_depth are not sent when it is > 0. Files are sent only with `all`. threshold > 0 sends
 * entries of at least that size, < 0 those of at most -threshold. An unreadable path is sent with `error`.
 */
async function* diskUsage(req: DiskUsageRequest, ctx: HandlerContext) {
  const send = (info: DiskUsageInfo, depth: number, isDir: boolean) => {
    if (req.recursionDepth > 0 && depth >= req.recursionDepth) return false;
    if (!isDir && !req.all) return false;
    if (req.threshold > 0n && info.size < req.threshold) return false;
    if (req.threshold < 0n && info.size > -req.threshold) return false;
    return true;
  };

  async function* visit(full: string, rel: string, depth: number, st: Stats): AsyncGenerator<DiskUsageInfo, bigint> {
    ctx.signal.throwIfAborted();
    // /proc/kcore reports the size of the kernel's address space.
    let size = full === "/proc/kcore" ? 0n : BigInt(Math.max(st.size, 0));
    if (!st.isDirectory()) {
      const info = create(DiskUsageInfoSchema, { name: full, relativeName: rel, size });
      if (send(info, depth, false)) yield info;
      return size;
    }
    let names: string[];
    try {
      names = await sortedNames(full);
    } catch (e) {
      yield create(DiskUsageInfoSchema, { name: full, relativeName: rel, error: goPathError("open", full, e) });
      return 0n;
    }
    for (const name of names) {
      const child = full === "/" ? `/${name}` : `${full}/${name}`;
      const childRel = rel === "." ? name : `${rel}/${name}`;
      let cst: Stats;
      try {
        cst = await lstat(child);
      } catch (e) {
        yield create(DiskUsageInfoSchema, {
          name: child,
          relativeName: childRel,
          error: goPathError("lstat", child, e),
        });
        continue;
      }
      size += yield* visit(child, childRel, depth + 1, cst);
    }
    const info = create(DiskUsageInfoSchema, { name: full, relativeName: rel, size });
    if (send(info, depth, true)) yield info;
    return size;
  }

  for (const requested of req.paths) {
    let path = absolutePath(requested);
    let st: Stats;
    try {
      st = await lstat(path);
      if (st.isSymbolicLink()) {
        path = await realpath(path);
        st = await lstat(path);
      }
    } catch (e) {
      yield create(DiskUsageInfoSchema, { name: path, relativeName: path, error: goPathError("lstat", path, e) });
      continue;
    }
    yield* visit(path, st.isDirectory() ? "." : basename(path), 0, st);
  }
}
