// A deterministic, streaming ustar writer for the node rootfs: entries in the order given, owner root:root,
// a fixed mtime, no host metadata. File contents are read in chunks from the host, so a ~170 MB rootfs
// never sits in memory. The same entries always produce the same bytes, so the tar's sha256 is the layer's
// identity (it is also the diff_id the engine records for the imported layer).
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";

/** One entry of a rootfs; `path` is absolute inside the image ("/usr/bin/etcd"). */
export type RootfsEntry =
  | { type: "dir"; path: string; mode: number }
  | { type: "file"; path: string; mode: number; source: string; size: number }
  | { type: "file"; path: string; mode: number; content: Uint8Array }
  | { type: "symlink"; path: string; target: string };

const BLOCK = 512;
/** mtime of every entry: the tar (and so the image's content tag) must not depend on when files were copied. */
export const TAR_MTIME = 0;

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL, the form GNU tar and Go's archive/tar both accept.
  const s = value.toString(8);
  if (s.length > width - 1) throw new Error(`tar: value ${value} does not fit in ${width} bytes`);
  return `${s.padStart(width - 1, "0")}\0`;
}

/** Splits a path into ustar's name (100 bytes) and prefix (155 bytes) fields. */
function splitName(name: string): { name: string; prefix: string } {
  if (Buffer.byteLength(name) <= 100) return { name, prefix: "" };
  for (let i = name.indexOf("/"); i !== -1; i = name.indexOf("/", i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== "")
      return { name: rest, prefix };
  }
  throw new Error(`tar: path too long for ustar: ${name}`);
}

/** The 512-byte ustar header of an entry. */
export function tarHeader(entry: RootfsEntry): Buffer {
  if (!entry.path.startsWith("/") || entry.path === "/") throw new Error(`tar: bad entry path ${entry.path}`);
  let name = entry.path.slice(1);
  if (entry.type === "dir") name += "/";
  const split = splitName(name);
  const size = entry.type === "file" ? ("content" in entry ? entry.content.length : entry.size) : 0;
  const mode = entry.type === "symlink" ? 0o777 : entry.mode;
  const typeflag = entry.type === "file" ? "0" : entry.type === "dir" ? "5" : "2";
  const linkname = entry.type === "symlink" ? entry.target : "";
  if (Buffer.byteLength(linkname) > 100) throw new Error(`tar: symlink target too long: ${linkname}`);

  const h = Buffer.alloc(BLOCK);
  h.write(split.name, 0, 100, "utf8");
  h.write(octal(mode & 0o7777, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii"); // uid
  h.write(octal(0, 8), 116, "ascii"); // gid
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(TAR_MTIME, 12), 136, "ascii");
  h.write("        ", 148, "ascii"); // checksum placeholder: eight spaces
  h.write(typeflag, 156, "ascii");
  h.write(linkname, 157, 100, "utf8");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.write("root", 265, 32, "ascii");
  h.write("root", 297, 32, "ascii");
  h.write(octal(0, 8), 329, "ascii"); // devmajor
  h.write(octal(0, 8), 337, "ascii"); // devminor
  h.write(split.prefix, 345, 155, "utf8");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return h;
}

function padding(size: number): Buffer {
  const rem = size % BLOCK;
  return Buffer.alloc(rem === 0 ? 0 : BLOCK - rem);
}

async function* tarChunks(entries: readonly RootfsEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield tarHeader(entry);
    if (entry.type !== "file") continue;
    if ("content" in entry) {
      yield Buffer.from(entry.content);
      yield padding(entry.content.length);
      continue;
    }
    let read = 0;
    for await (const chunk of createReadStream(entry.source, { highWaterMark: 1 << 20 })) {
      const buf = chunk as Buffer;
      read += buf.length;
      if (read > entry.size) break;
      yield buf;
    }
    // The header already promised `size` bytes: a file that changed underneath would corrupt the archive.
    if (read !== entry.size) {
      throw new Error(`${entry.source} changed while being archived (expected ${entry.size} bytes, read ${read})`);
    }
    yield padding(entry.size);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** The tar of `entries` as a byte stream (parents must precede their children; see `sortEntries`). */
export function tarStream(entries: readonly RootfsEntry[]): Readable {
  return Readable.from(tarChunks(entries), { objectMode: false });
}
