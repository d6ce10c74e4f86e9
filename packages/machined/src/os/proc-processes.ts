// The process table as Talos's miniprocfs reads it: /proc/<pid>/stat, cmdline and the exe link.
import { readdir, readFile, readlink } from "node:fs/promises";
import { endianness } from "node:os";
import { create } from "@bufbuild/protobuf";
import { type ProcessInfo, ProcessInfoSchema } from "@talos/machinery/api";
import { parseCmdline, parsePidStat, USER_HZ } from "./proc-parse.ts";

const AT_PAGESZ = 6n;
let pageSize: Promise<bigint> | undefined;

/** The kernel's page size, from this process's auxiliary vector (AT_PAGESZ); 4096 if that cannot be read. */
export function systemPageSize(): Promise<bigint> {
  pageSize ??= readFile("/proc/self/auxv").then(
    (auxv) => {
      // Pairs of native-endian unsigned longs (a 64-bit Node: 8 bytes each), ending with AT_NULL.
      const le = endianness() === "LE";
      for (let off = 0; off + 16 <= auxv.length; off += 16) {
        const type = le ? auxv.readBigUInt64LE(off) : auxv.readBigUInt64BE(off);
        if (type === AT_PAGESZ) return le ? auxv.readBigUInt64LE(off + 8) : auxv.readBigUInt64BE(off + 8);
        if (type === 0n) break;
      }
      return 4096n;
    },
    () => 4096n,
  );
  return pageSize;
}

/** One process, or undefined when it is gone (or its stat unreadable) by the time it is read. */
export async function readProcess(procRoot: string, pid: number, pageBytes: bigint): Promise<ProcessInfo | undefined> {
  const dir = `${procRoot}/${pid}`;
  const stat = await readFile(`${dir}/stat`, "utf8").then(parsePidStat, () => undefined);
  if (stat === undefined) return undefined;
  // Kernel threads have no exe and an empty cmdline; processes of other users may hide their exe link from
  // an unprivileged reader. Those are still listed, with the fields left empty.
  const [executable, args] = await Promise.all([
    readlink(`${dir}/exe`).catch(() => ""),
    readFile(`${dir}/cmdline`).then(parseCmdline, () => ""),
  ]);
  return create(ProcessInfoSchema, {
    pid,
    ppid: stat.ppid,
    state: stat.state,
    threads: stat.threads,
    cpuTime: stat.cpuTicks / USER_HZ,
    virtualMemory: stat.vsize,
    residentMemory: stat.rss * pageBytes,
    command: stat.comm,
    executable,
    args,
  });
}

/** Every process under procRoot, by ascending PID. */
export async function listProcesses(procRoot = "/proc"): Promise<ProcessInfo[]> {
  const pids = (await readdir(procRoot))
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
  const pageBytes = await systemPageSize();
  // A bounded number of readers, so a host with thousands of processes does not run out of descriptors.
  const procs: (ProcessInfo | undefined)[] = new Array(pids.length);
  let next = 0;
  const worker = async () => {
    while (next < pids.length) {
      const i = next++;
      procs[i] = await readProcess(procRoot, pids[i]!, pageBytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(32, pids.length) }, worker));
  return procs.filter((p) => p !== undefined);
}
