// Walking a directory tree the way Talos's archiver.Walker (over Go's filepath.Walk) does, and the Go
// encodings the file RPCs put on the wire: os.FileMode bits and `op path: strerror` error texts.
import type { Stats } from "node:fs";
import { lstat, readdir, readlink, realpath } from "node:fs/promises";
import { basename, posix } from "node:path";

/** Go's os.FileMode type bits (io/fs). The low 9 bits are the permission bits. */
export const GoMode = {
  dir: 2 ** 31,
  append: 1 << 30,
  exclusive: 1 << 29,
  temporary: 1 << 28,
  symlink: 1 << 27,
  device: 1 << 26,
  namedPipe: 1 << 25,
  socket: 1 << 24,
  setuid: 1 << 23,
  setgid: 1 << 22,
  charDevice: 1 << 21,
  sticky: 1 << 20,
  irregular: 1 << 19,
} as const;

const S_IFMT = 0o170000;

/** A stat mode as Go's os.FileMode (what `uint32(fi.Mode())` sends), e.g. a 0755 directory → 0x800001ed. */
export function goFileMode(mode: number): number {
  let m = mode & 0o777;
  switch (mode & S_IFMT) {
    case 0o040000:
      m += GoMode.dir;
      break;
    case 0o120000:
      m += GoMode.symlink;
      break;
    case 0o060000:
      m += GoMode.device;
      break;
    case 0o020000:
      m += GoMode.device + GoMode.charDevice;
      break;
    case 0o010000:
      m += GoMode.namedPipe;
      break;
    case 0o140000:
      m += GoMode.socket;
      break;
  }
  if (mode & 0o4000) m += GoMode.setuid;
  if (mode & 0o2000) m += GoMode.setgid;
  if (mode & 0o1000) m += GoMode.sticky;
  return m;
}

const STRERROR: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "not a directory",
  EISDIR: "is a directory",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
  EIO: "input/output error",
  EINVAL: "invalid argument",
  ESTALE: "stale NFS file handle",
  ENXIO: "no such device or address",
};

export const errnoCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/** A Node fs error as Go's *PathError prints it: `lstat /x: no such file or directory`. */
export function goPathError(op: string, path: string, e: unknown): string {
  const code = errnoCode(e);
  const text = code !== undefined ? STRERROR[code] : undefined;
  return `${op} ${path}: ${text ?? (e instanceof Error ? e.message : String(e))}`;
}

/** An absolute, slash-clean form of a request path: Talos prefixes `/` and drops a trailing one. */
export function absolutePath(p: string): string {
  return posix.resolve("/", p);
}

/** Directory entries in Go's order (sort.Strings: byte order of the UTF-8 names). */
export async function sortedNames(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

const joinPath = (dir: string, name: string) => (dir === "/" ? `/${name}` : `${dir}/${name}`);

/** One walked entry: either `stats` (with `link` for a symlink) or `error`. */
export interface WalkItem {
  fullPath: string;
  relPath: string;
  stats?: Stats;
  link: string;
  error?: string;
}

export interface WalkOptions {
  /** Directories deeper than this (relative to the root, whose children are depth 1) are listed but not entered;
   * the root is always entered. -1: no limit. */
  maxDepth: number;
  signal?: AbortSignal;
}

/**
 * Pre-order walk (lexical order) from `root`, never following symlinks except a symlinked root, which is
 * resolved first (filepath.EvalSymlinks). The root is reported with relPath "." (its base name if it is not
 * a directory). Unreadable entries become items with `error`; only an unreadable root throws.
 */
export async function* walkTree(root: string, opts: WalkOptions): AsyncGenerator<WalkItem> {
  let rootStats = await lstat(root).catch((e: unknown) => {
    throw new WalkRootError(goPathError("lstat", root, e), e);
  });
  if (rootStats.isSymbolicLink()) {
    root = await realpath(root).catch((e: unknown) => {
      throw new WalkRootError(goPathError("lstat", root, e), e);
    });
    rootStats = await lstat(root).catch((e: unknown) => {
      throw new WalkRootError(goPathError("lstat", root, e), e);
    });
  }
  if (!rootStats.isDirectory()) {
    yield await entry(root, basename(root), rootStats);
    return;
  }
  yield* walkDir(root, ".", 0, rootStats, opts);
}

/** The root of a walk could not be read. */
export class WalkRootError extends Error {
  readonly code: string | undefined;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "WalkRootError";
    this.code = errnoCode(cause);
  }
}

async function entry(fullPath: string, relPath: string, stats: Stats): Promise<WalkItem> {
  if (!stats.isSymbolicLink()) return { fullPath, relPath, stats, link: "" };
  try {
    return { fullPath, relPath, stats, link: await readlink(fullPath) };
  } catch (e) {
    return { fullPath, relPath, link: "", error: goPathError("readlink", fullPath, e) };
  }
}

async function* walkDir(
  dir: string,
  rel: string,
  depth: number,
  stats: Stats,
  opts: WalkOptions,
): AsyncGenerator<WalkItem> {
  const enter = depth === 0 || opts.maxDepth < 0 || depth < opts.maxDepth;
  if (!enter) {
    yield { fullPath: dir, relPath: rel, stats, link: "" };
    return;
  }
  let names: string[];
  try {
    names = await sortedNames(dir);
  } catch (e) {
    // filepath.Walk reports a directory it cannot read once, with the error instead of its info.
    yield { fullPath: dir, relPath: rel, link: "", error: goPathError("open", dir, e) };
    return;
  }
  yield { fullPath: dir, relPath: rel, stats, link: "" };
  for (const name of names) {
    opts.signal?.throwIfAborted();
    const full = joinPath(dir, name);
    const childRel = rel === "." ? name : `${rel}/${name}`;
    let st: Stats;
    try {
      st = await lstat(full);
    } catch (e) {
      yield { fullPath: full, relPath: childRel, link: "", error: goPathError("lstat", full, e) };
      continue;
    }
    if (st.isDirectory()) yield* walkDir(full, childRel, depth + 1, st, opts);
    else yield await entry(full, childRel, st);
  }
}
