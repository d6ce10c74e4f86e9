// `bootstrap --recover-from`: turns an uploaded snapshot into this member's data directory, as a new
// single-member cluster. Talos links etcd's snapshot package; we run `etcdctl snapshot restore`, the etcdctl
// installed beside etcd (Debian's on process nodes, the same binary copied into the node image).
import { execFile } from "node:child_process";
import { chmod, mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { initialClusterEntry } from "./args.ts";

export interface RestoreOptions {
  readonly etcdctl: string;
  readonly snapshotPath: string;
  /** etcd's data directory: must be absent or empty. */
  readonly dataDir: string;
  /** The member this node becomes: its name and the peer URLs it advertises. */
  readonly name: string;
  readonly peerUrls: readonly string[];
  /** `initial-cluster-token` when extraArgs set one (etcd and etcdctl default to the same token). */
  readonly clusterToken?: string;
  /** Needed for a copy of a data directory's `member/snap/db`, which has no appended hash. */
  readonly skipHashCheck: boolean;
  /** Ends a hung etcdctl; restoring a large snapshot takes a while. */
  readonly timeoutMs?: number;
}

/** What `etcdctl snapshot status` reports about a snapshot. */
export interface SnapshotStatus {
  readonly hash: number;
  readonly revision: number;
  readonly totalKey: number;
  readonly totalSize: number;
}

/** The `etcdctl snapshot restore` command line, restoring into `outDir`. */
export function restoreArgs(o: RestoreOptions, outDir: string): string[] {
  return [
    "snapshot",
    "restore",
    o.snapshotPath,
    `--name=${o.name}`,
    `--data-dir=${outDir}`,
    `--initial-cluster=${initialClusterEntry(o.name, o.peerUrls)}`,
    `--initial-advertise-peer-urls=${o.peerUrls.join(",")}`,
    ...(o.clusterToken !== undefined ? [`--initial-cluster-token=${o.clusterToken}`] : []),
    ...(o.skipHashCheck ? ["--skip-hash-check=true"] : []),
  ];
}

/** etcdctl's own message ("Error: ..." is its last word), else the tail of what it printed. */
export function etcdctlError(stderr: string, fallback: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const error = lines.findLast((l) => l.startsWith("Error: "));
  if (error !== undefined) return error.slice("Error: ".length);
  return lines.at(-1) ?? fallback;
}

function etcdctl(binary: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { env: { ETCDCTL_API: "3" }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err === null) return resolve(stdout);
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return reject(new Error(`${binary} not found: etcdctl is needed to restore snapshots`));
        if (err.killed) return reject(new Error(`etcdctl ${args[1]} did not finish in ${timeoutMs} ms`));
        reject(new Error(etcdctlError(stderr, err.message)));
      },
    );
  });
}

/** Reads a snapshot's hash, revision and key count; fails when the file is no bbolt database. */
export async function snapshotStatus(etcdctlBinary: string, path: string, timeoutMs = 60_000): Promise<SnapshotStatus> {
  let out: string;
  try {
    out = await etcdctl(etcdctlBinary, ["snapshot", "status", path, "--write-out=json"], timeoutMs);
  } catch (e) {
    throw new Error(`error verifying snapshot: ${(e as Error).message}`);
  }
  const s = JSON.parse(out) as Partial<SnapshotStatus>;
  return { hash: s.hash ?? 0, revision: s.revision ?? 0, totalKey: s.totalKey ?? 0, totalSize: s.totalSize ?? 0 };
}

/**
 * Restores the snapshot into the data directory (through a sibling temp directory renamed into place, so a
 * failure leaves the data directory empty), then deletes the snapshot as Talos does.
 */
export async function restoreSnapshot(o: RestoreOptions): Promise<SnapshotStatus> {
  const timeoutMs = o.timeoutMs ?? 10 * 60_000;
  const status = await snapshotStatus(o.etcdctl, o.snapshotPath, timeoutMs);
  const tmp = `${o.dataDir}.restore`;
  await mkdir(dirname(o.dataDir), { recursive: true });
  // etcdctl refuses an existing --data-dir, even an empty one.
  await rm(tmp, { recursive: true, force: true });
  try {
    await etcdctl(o.etcdctl, restoreArgs(o, tmp), timeoutMs);
    await chmod(tmp, 0o700);
    // rename(2) replaces an empty directory and fails on a non-empty one, which is what we want.
    await rename(tmp, o.dataDir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw new Error(`error recovering from the snapshot: ${(e as Error).message}`);
  }
  await rm(o.snapshotPath, { force: true });
  return status;
}
