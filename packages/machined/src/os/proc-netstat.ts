// Sockets from /proc/net/{tcp,tcp6,udp,udp6,udplite,udplite6,raw,raw6}, as Talos's go-netstat reads them:
// other network namespaces through the tables of a process inside them, owners through /proc/<pid>/fd.
import { readdir, readFile, readlink, stat } from "node:fs/promises";
import { create } from "@bufbuild/protobuf";
import {
  type ConnectRecord,
  ConnectRecord_ProcessSchema,
  type ConnectRecord_State,
  type ConnectRecord_TimerActive,
  ConnectRecordSchema,
  type NetstatRequest,
  NetstatRequest_Filter,
} from "@talos/machinery/api";

/** The tables in the order Talos reads them. */
export const SOCKET_TABLES = ["tcp", "tcp6", "udp", "udp6", "udplite", "udplite6", "raw", "raw6"] as const;
export type SocketTable = (typeof SOCKET_TABLES)[number];

/** Go's net.IP.String(): dotted IPv4 (also for IPv4-mapped IPv6), else RFC 5952 (longest zero run ≥ 2 as `::`). */
export function formatIp(b: Uint8Array): string {
  const v4 =
    b.length === 4
      ? b
      : b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff
        ? b.subarray(12)
        : undefined;
  if (v4 !== undefined) return Array.from(v4).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i] ?? 0) << 8) | (b[2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j > i ? j : i + 1;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(":");
  if (bestLen < 2) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** A procfs socket address `0100007F:0CEA` (IPv4) or 32 hex digits (IPv6): 32-bit words in host (little-endian) order. */
export function parseSocketAddress(s: string): { ip: Uint8Array; port: number } | undefined {
  const [hex = "", portHex = ""] = s.split(":");
  if ((hex.length !== 8 && hex.length !== 32) || !/^[0-9A-Fa-f]+$/.test(hex) || !/^[0-9A-Fa-f]{1,4}$/.test(portHex))
    return undefined;
  const ip = new Uint8Array(hex.length / 2);
  const view = new DataView(ip.buffer);
  for (let w = 0; w < hex.length / 8; w++)
    view.setUint32(w * 4, Number.parseInt(hex.slice(w * 8, w * 8 + 8), 16), true);
  return { ip, port: Number.parseInt(portHex, 16) };
}

/**
 * One /proc/net/<table> file. A table whose lines do not parse yields nothing (go-netstat drops the file).
 * `process` is left empty; `netns` is the namespace the table was read from ("" for the node's own).
 */
export function parseSocketTable(text: string, table: string, netns = ""): ConnectRecord[] {
  const records: ConnectRecord[] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length === 1 && f[0] === "") continue;
    const local = parseSocketAddress(f[1] ?? "");
    const remote = parseSocketAddress(f[2] ?? "");
    const [tx = "", rx = ""] = (f[4] ?? "").split(":");
    const [tr = "", when = ""] = (f[5] ?? "").split(":");
    if (f.length < 12 || local === undefined || remote === undefined) return [];
    const hex = (s: string) => (/^[0-9A-Fa-f]+$/.test(s) ? BigInt(`0x${s}`) : 0n);
    const dec = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? BigInt(s) : 0n);
    records.push(
      create(ConnectRecordSchema, {
        l4proto: table,
        localip: formatIp(local.ip),
        localport: local.port,
        remoteip: formatIp(remote.ip),
        remoteport: remote.port,
        state: Number(hex(f[3] ?? "")) as ConnectRecord_State,
        txqueue: hex(tx),
        rxqueue: hex(rx),
        tr: Number(dec(tr)) as ConnectRecord_TimerActive,
        timerwhen: hex(when),
        retrnsmt: hex(f[6] ?? ""),
        uid: Number(dec(f[7])),
        timeout: dec(f[8]),
        inode: dec(f[9]),
        ref: dec(f[10]),
        pointer: hex(f[11] ?? ""),
        process: {},
        netns,
      }),
    );
  }
  return records;
}

const pidDirs = async (procRoot: string) =>
  (await readdir(procRoot)).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));

/** Socket inode → the first process (by PID) holding it, with its comm. */
async function socketOwners(procRoot: string): Promise<Map<bigint, { pid: number; name: string }>> {
  const owners = new Map<bigint, { pid: number; name: string }>();
  for (const pid of await pidDirs(procRoot)) {
    const fds = await readdir(`${procRoot}/${pid}/fd`).catch(() => [] as string[]);
    const links = await Promise.all(fds.map((fd) => readlink(`${procRoot}/${pid}/fd/${fd}`).catch(() => "")));
    const inodes = links.flatMap((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1] ?? []);
    if (inodes.length === 0) continue;
    const name = await readFile(`${procRoot}/${pid}/comm`, "utf8").then(
      (s) => s.trim(),
      () => "",
    );
    for (const ino of inodes) if (!owners.has(BigInt(ino))) owners.set(BigInt(ino), { pid: Number(pid), name });
  }
  return owners;
}

/** Named network namespaces (bind mounts under netnsDir) → a PID inside each, found by the namespace inode. */
async function namespacePids(
  procRoot: string,
  netnsDir: string,
  names: readonly string[],
): Promise<[string, string][]> {
  const wanted = new Map<number, string>();
  for (const name of names) {
    const st = await stat(`${netnsDir}/${name}`).catch(() => undefined);
    if (st !== undefined) wanted.set(st.ino, name);
  }
  const found: [string, string][] = [];
  if (wanted.size === 0) return found;
  for (const pid of await pidDirs(procRoot)) {
    const st = await stat(`${procRoot}/${pid}/ns/net`).catch(() => undefined);
    const name = st === undefined ? undefined : wanted.get(st.ino);
    if (name === undefined) continue;
    found.push([name, pid]);
    wanted.delete(st!.ino);
    if (wanted.size === 0) break;
  }
  return found;
}

/** The Netstat RPC's records, in table order per namespace (the node's own first, when host network is asked). */
export async function netstat(
  req: NetstatRequest,
  procRoot = "/proc",
  netnsDir = "/var/run/netns",
): Promise<ConnectRecord[]> {
  const tables = SOCKET_TABLES.filter((t) => req.l4proto?.[t] === true);
  const names = req.netns?.allnetns ? await readdir(netnsDir).catch(() => [] as string[]) : (req.netns?.netns ?? []);
  const sources: { dir: string; netns: string }[] = [];
  if (req.netns?.hostnetwork) sources.push({ dir: procRoot, netns: "" });
  for (const [name, pid] of await namespacePids(procRoot, netnsDir, names))
    sources.push({ dir: `${procRoot}/${pid}`, netns: name });

  const accept = (r: ConnectRecord) => {
    const remoteUnspecified = r.remoteip === "0.0.0.0" || r.remoteip === "::";
    if (req.filter === NetstatRequest_Filter.LISTENING) return remoteUnspecified && r.remoteport === 0;
    if (req.filter === NetstatRequest_Filter.CONNECTED) return !remoteUnspecified && r.remoteport !== 0;
    return true;
  };
  const owners = req.feature?.pid ? await socketOwners(procRoot) : undefined;
  const records: ConnectRecord[] = [];
  for (const { dir, netns } of sources) {
    for (const table of tables) {
      const text = await readFile(`${dir}/net/${table}`, "utf8").catch(() => "");
      for (const r of parseSocketTable(text, table, netns)) {
        if (!accept(r)) continue;
        const owner = owners?.get(r.inode);
        if (owner !== undefined) r.process = create(ConnectRecord_ProcessSchema, owner);
        records.push(r);
      }
    }
  }
  return records;
}
