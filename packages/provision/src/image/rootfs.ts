// What goes into the node image: the pinned Node runtime, the machined and discovery-service bundles, etcd/etcdctl, tini as PID 1,
// the shared libraries those binaries load (from `ldd`, at the paths the loader looks for them), a minimal
// /etc and the mount points. The plan is a sorted list of entries; `tar.ts` turns it into a layer.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join, posix } from "node:path";
import { promisify } from "node:util";
import type { RootfsEntry } from "./tar.ts";

const execFileP = promisify(execFile);

/** Where things live inside the image. */
export const IMAGE_PATHS = {
  node: "/usr/local/bin/node",
  machined: "/usr/lib/talos/machined.mjs",
  /** The offline discovery service a local cluster runs beside its nodes. */
  discoveryService: "/usr/lib/talos/discovery-service.mjs",
  etcd: "/usr/bin/etcd",
  // machined runs it for `bootstrap --recover-from` (snapshot restore), at the same path as on a host.
  etcdctl: "/usr/bin/etcdctl",
  tini: "/sbin/tini",
  busybox: "/bin/busybox",
} as const;

/** Host inputs; every field has a default matching this checkout and a Debian host. */
export interface RootfsSources {
  repoRoot: string;
  /** The Node binary; default: `<repoRoot>/node_modules/node/bin/node` (the pinned Node 24). */
  node?: string;
  etcd?: string;
  etcdctl?: string;
  tini?: string;
  /** Copied only when present (debugging aid, and /bin/sh). */
  busybox?: string;
  /** Talos version named by /etc/os-release. */
  talosVersion: string;
}

/** Users of the image: Talos runs etcd as uid/gid 60. */
const PASSWD =
  "root:x:0:0:root:/root:/bin/sh\n" +
  "etcd:x:60:60:etcd:/var/lib/etcd:/sbin/nologin\n" +
  "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n";
const GROUP = "root:x:0:\netcd:x:60:\nnogroup:x:65534:\n";
const NSSWITCH = "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nservices: files\n";

function osRelease(talosVersion: string): string {
  return (
    'NAME="talos-ts"\n' +
    "ID=talos-ts\n" +
    "ID_LIKE=talos\n" +
    `VERSION_ID=${talosVersion}\n` +
    `PRETTY_NAME="talos-ts (Talos ${talosVersion} rebuilt in TypeScript)"\n` +
    'HOME_URL="https://www.talos.dev/"\n'
  );
}

/** Mount points and other empty directories (the rootfs is read-only at run time). */
const DIRECTORIES: ReadonlyArray<readonly [string, number]> = [
  ["/dev", 0o755],
  ["/proc", 0o555],
  ["/sys", 0o555],
  ["/run", 0o755],
  ["/tmp", 0o1777],
  ["/var", 0o755],
  ["/system", 0o755],
  ["/system/state", 0o700],
  ["/etc/kubernetes", 0o755],
  ["/opt", 0o755],
  ["/root", 0o700],
];

/**
 * The shared libraries a dynamic executable loads, as `ldd` prints them: the path the loader resolves
 * (kept as the path inside the image) mapped to the real file on the host. Static executables have none.
 */
export async function sharedLibraries(binary: string): Promise<Map<string, string>> {
  let out: string;
  try {
    out = (await execFileP("ldd", [binary], { encoding: "utf8" })).stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: unknown };
    if (`${err.stdout ?? ""}${err.stderr ?? ""}`.includes("not a dynamic executable")) return new Map();
    if (err.code === "ENOENT") throw new Error("ldd not found: it is needed to collect the libraries of the image");
    throw new Error(`ldd ${binary} failed: ${(err.stderr ?? String(e)).trim()}`);
  }
  const libs = new Map<string, string>();
  for (const path of parseLdd(out)) libs.set(path, await realpath(path));
  return libs;
}

/** The absolute library paths in `ldd` output (`libc.so.6 => /lib/.../libc.so.6 (0x..)`, the loader line). */
export function parseLdd(output: string): string[] {
  const paths: string[] = [];
  for (const line of output.split("\n")) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (m?.[1] !== undefined) paths.push(m[1]);
    else if (/=>\s*not found/.test(line)) throw new Error(`ldd: missing library: ${line.trim()}`);
  }
  return paths;
}

class Plan {
  readonly #entries = new Map<string, RootfsEntry>();

  add(entry: RootfsEntry): void {
    const existing = this.#entries.get(entry.path);
    if (existing !== undefined) {
      if (existing.type === "dir" && entry.type === "dir") {
        // An explicit directory wins over one created implicitly as a parent (its mode may differ).
        this.#entries.set(entry.path, entry);
        return;
      }
      const same =
        existing.type === "file" &&
        entry.type === "file" &&
        "source" in existing &&
        "source" in entry &&
        existing.source === entry.source;
      if (!same) throw new Error(`rootfs: ${entry.path} added twice with different contents`);
      return;
    }
    for (let dir = posix.dirname(entry.path); dir !== "/"; dir = posix.dirname(dir)) {
      const parent = this.#entries.get(dir);
      if (parent !== undefined && parent.type !== "dir") throw new Error(`rootfs: ${dir} is not a directory`);
      if (parent === undefined) this.#entries.set(dir, { type: "dir", path: dir, mode: 0o755 });
    }
    this.#entries.set(entry.path, entry);
  }

  async addHostFile(path: string, source: string, mode?: number): Promise<void> {
    const real = await realpath(source);
    const st = await stat(real);
    if (!st.isFile()) throw new Error(`${source} is not a regular file`);
    this.add({ type: "file", path, mode: mode ?? st.mode & 0o7777, source: real, size: st.size });
  }

  /** A binary and every library `ldd` lists for it. */
  async addBinary(path: string, source: string): Promise<void> {
    await this.addHostFile(path, source, 0o755);
    for (const [libPath, real] of await sharedLibraries(await realpath(source))) {
      await this.addHostFile(libPath, real, 0o755);
    }
  }

  addText(path: string, text: string, mode = 0o644): void {
    this.add({ type: "file", path, mode, content: Buffer.from(text, "utf8") });
  }

  entries(): RootfsEntry[] {
    // Sorting by path puts every directory before its contents ("/a" < "/a/b").
    return [...this.#entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

async function requireFile(path: string, hint: string): Promise<string> {
  if (!existsSync(path)) throw new Error(`${path} not found: ${hint}`);
  return path;
}

/** Every entry of the node rootfs, sorted, parents first. */
export async function planRootfs(src: RootfsSources): Promise<RootfsEntry[]> {
  const plan = new Plan();
  const dist = join(src.repoRoot, "dist");

  const node = await requireFile(
    src.node ?? join(src.repoRoot, "node_modules/node/bin/node"),
    "run `npm ci` (the pinned Node runtime comes from the `node` package)",
  );
  await plan.addBinary(IMAGE_PATHS.node, node);

  for (const [bundle, path] of [
    ["machined", IMAGE_PATHS.machined],
    ["discovery-service", IMAGE_PATHS.discoveryService],
  ] as const) {
    const entry = await requireFile(join(dist, `${bundle}.mjs`), "run `npm run build` first");
    await plan.addHostFile(path, entry, 0o644);
    if (existsSync(`${entry}.map`)) await plan.addHostFile(`${path}.map`, `${entry}.map`, 0o644);
    // With code splitting, lazily imported modules land in <bundle>-chunks/ next to the entry.
    const chunks = join(dist, `${bundle}-chunks`);
    if (!existsSync(chunks)) continue;
    for (const rel of (await readdir(chunks, { recursive: true })).sort()) {
      const host = join(chunks, rel);
      if ((await stat(host)).isFile()) {
        await plan.addHostFile(posix.join(posix.dirname(path), `${bundle}-chunks`, rel), host, 0o644);
      }
    }
  }

  await plan.addBinary(IMAGE_PATHS.etcd, await requireFile(src.etcd ?? "/usr/bin/etcd", "install etcd-server"));
  await plan.addBinary(
    IMAGE_PATHS.etcdctl,
    await requireFile(src.etcdctl ?? "/usr/bin/etcdctl", "install etcd-client"),
  );
  await plan.addBinary(IMAGE_PATHS.tini, await requireFile(src.tini ?? "/usr/bin/tini-static", "install tini"));

  const busybox = src.busybox ?? "/bin/busybox";
  if (existsSync(busybox)) {
    await plan.addBinary(IMAGE_PATHS.busybox, busybox);
    plan.add({ type: "symlink", path: "/bin/sh", target: "busybox" });
  }

  plan.addText("/etc/passwd", PASSWD);
  plan.addText("/etc/group", GROUP);
  plan.addText("/etc/nsswitch.conf", NSSWITCH);
  plan.addText("/etc/os-release", osRelease(src.talosVersion));
  // Placeholders: the engine bind-mounts its own files over these.
  plan.addText("/etc/hosts", "");
  plan.addText("/etc/resolv.conf", "");
  plan.addText("/etc/hostname", "");
  for (const [path, mode] of DIRECTORIES) plan.add({ type: "dir", path, mode });

  return plan.entries();
}
