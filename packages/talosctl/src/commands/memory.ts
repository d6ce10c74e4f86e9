import { createClient } from "@connectrpc/connect";
import { MachineService, type MemInfo, type Memory } from "@talos/machinery/api";
import { Command } from "commander";
import { callNodes, endpointHost, finishWithNodeErrors, replyNode, requireNodes } from "../transport/node-replies.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { formatTable } from "../util/tab-writer.ts";

/** The brief table, in MiB as talosctl prints it (values are kB in /proc/meminfo, divided by 1024). */
export function memoryTable(messages: readonly Memory[], fallbackNode: string): string {
  const rows = [["NODE", "TOTAL", "USED", "FREE", "SHARED", "BUFFERS", "CACHE", "AVAILABLE"]];
  for (const msg of messages) {
    const m = msg.meminfo;
    const v = (x: bigint | undefined) => String((x ?? 0n) / 1024n);
    // Go computes USED in uint64: it wraps around rather than going negative.
    let used = (m?.memtotal ?? 0n) - (m?.memfree ?? 0n) - (m?.cached ?? 0n) - (m?.buffers ?? 0n);
    if (used < 0n) used += 1n << 64n;
    rows.push([
      replyNode(msg, fallbackNode),
      v(m?.memtotal),
      v(used),
      v(m?.memfree),
      v(m?.shmem),
      v(m?.buffers),
      v(m?.cached),
      v(m?.memavailable),
    ]);
  }
  return formatTable(rows);
}

/** /proc/meminfo lines of `memory -v`: [label, field, has kB unit]. */
const VERBOSE: readonly (readonly [string, keyof MemInfo, boolean])[] = [
  ["MemTotal", "memtotal", true],
  ["MemFree", "memfree", true],
  ["MemAvailable", "memavailable", true],
  ["Buffers", "buffers", true],
  ["Cached", "cached", true],
  ["SwapCached", "swapcached", true],
  ["Active", "active", true],
  ["Inactive", "inactive", true],
  ["ActiveAnon", "activeanon", true],
  ["InactiveAnon", "inactiveanon", true],
  ["ActiveFile", "activefile", true],
  ["InactiveFile", "inactivefile", true],
  ["Unevictable", "unevictable", true],
  ["Mlocked", "mlocked", true],
  ["SwapTotal", "swaptotal", true],
  ["SwapFree", "swapfree", true],
  ["Dirty", "dirty", true],
  ["Writeback", "writeback", true],
  ["AnonPages", "anonpages", true],
  ["Mapped", "mapped", true],
  ["Shmem", "shmem", true],
  ["Slab", "slab", true],
  ["SReclaimable", "sreclaimable", true],
  ["SUnreclaim", "sunreclaim", true],
  ["KernelStack", "kernelstack", true],
  ["PageTables", "pagetables", true],
  ["NFSUnstable", "nfsunstable", true],
  ["Bounce", "bounce", true],
  ["WritebackTmp", "writebacktmp", true],
  ["CommitLimit", "commitlimit", true],
  ["CommittedAS", "committedas", true],
  ["VmallocTotal", "vmalloctotal", true],
  ["VmallocUsed", "vmallocused", true],
  ["VmallocChunk", "vmallocchunk", true],
  ["HardwareCorrupted", "hardwarecorrupted", true],
  ["AnonHugePages", "anonhugepages", true],
  ["ShmemHugePages", "shmemhugepages", true],
  ["ShmemPmdMapped", "shmempmdmapped", true],
  ["CmaTotal", "cmatotal", true],
  ["CmaFree", "cmafree", true],
  ["HugePagesTotal", "hugepagestotal", false],
  ["HugePagesFree", "hugepagesfree", false],
  ["HugePagesRsvd", "hugepagesrsvd", false],
  ["HugePagesSurp", "hugepagessurp", false],
  ["Hugepagesize", "hugepagesize", true],
  ["DirectMap4k", "directmap4k", true],
  ["DirectMap2M", "directmap2m", true],
  ["DirectMap1G", "directmap1g", true],
];

/** `memory -v`: each node's meminfo, /proc/meminfo style. */
export function memoryVerbose(messages: readonly Memory[], fallbackNode: string): string {
  let out = "";
  for (const msg of messages) {
    out += `NODE: ${replyNode(msg, fallbackNode)}\n`;
    for (const [label, key, kb] of VERBOSE) {
      const value = msg.meminfo?.[key] ?? 0n;
      out += kb ? `${label}: ${String(value)} kB\n` : `${label}: ${String(value)}\n`;
    }
  }
  return out;
}

/** `talosctl memory [-v]` (alias `mem`): memory usage of the nodes. */
export function registerMemory(root: Command): void {
  root.addCommand(
    new Command("memory")
      .alias("mem")
      .description("Show memory usage")
      .option("-v, --verbose", "display extended memory statistics")
      .action(async (flags: { verbose?: boolean }, cmd: Command) => {
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        const client = createClient(MachineService, conn.transport);
        const { ok, errors } = await callNodes("error getting memory stats", () =>
          client.memory({}, { headers: nodesHeaders(conn, nodes) }),
        );
        const fallback = endpointHost(conn);
        process.stdout.write(flags.verbose === true ? memoryVerbose(ok, fallback) : memoryTable(ok, fallback));
        finishWithNodeErrors(errors);
      }),
  );
}
