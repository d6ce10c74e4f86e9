// Reads one file out of a gzip'd tar (what Kubeconfig and Copy stream back), like talosctl's
// helpers.ExtractFileFromTarGz: ustar/GNU/PAX headers, 512-byte blocks, names cleaned before comparing.
import { posix } from "node:path";
import { gunzipSync } from "node:zlib";
import { CliError } from "../cli/errors.ts";

const BLOCK = 512;

function field(header: Uint8Array, offset: number, length: number): string {
  const bytes = header.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString("utf8");
}

/** A numeric header field: octal text, or base-256 when the high bit of the first byte is set. */
function numeric(header: Uint8Array, offset: number, length: number): number {
  const bytes = header.subarray(offset, offset + length);
  if (((bytes[0] ?? 0) & 0x80) !== 0) {
    let n = 0;
    for (let i = 1; i < bytes.length; i++) n = n * 256 + (bytes[i] ?? 0);
    return n;
  }
  const text = field(header, offset, length).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new CliError(`archive/tar: invalid header: bad number ${JSON.stringify(text)}`);
  return Number.parseInt(text, 8);
}

/** PAX extended header records (`<len> key=value\n`). */
function paxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const text = Buffer.from(data).toString("utf8");
  let pos = 0;
  while (pos < text.length) {
    const space = text.indexOf(" ", pos);
    if (space === -1) break;
    const len = Number.parseInt(text.slice(pos, space), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = text.slice(space + 1, pos + len - 1);
    const eq = record.indexOf("=");
    if (eq !== -1) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

/** safepath.CleanPath: a relative, normalized path ("" for nothing). */
export function cleanTarPath(name: string): string {
  const cleaned = posix.normalize(`/${name}`).replace(/^\/+/, "");
  return cleaned === "." ? "" : cleaned.replace(/\/$/, "");
}

/** One entry of an archive. */
export interface TarEntry {
  readonly name: string;
  readonly type: string;
  readonly data: Uint8Array;
}

/** Every entry of an uncompressed tar. */
export function readTar(tar: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let pos = 0;
  let longName: string | undefined;
  let pax: Map<string, string> | undefined;
  while (pos + BLOCK <= tar.length) {
    const header = tar.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = numeric(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = pos + BLOCK;
    if (dataStart + size > tar.length) throw new CliError("unexpected EOF");
    const data = tar.subarray(dataStart, dataStart + size);
    pos = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L") {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === "x") {
      pax = paxRecords(data);
      continue;
    }
    if (type === "g") continue;
    let name = field(header, 0, 100);
    const magic = field(header, 257, 6);
    if (magic.startsWith("ustar")) {
      const prefix = field(header, 345, 155);
      if (prefix !== "") name = `${prefix}/${name}`;
    }
    name = pax?.get("path") ?? longName ?? name;
    longName = undefined;
    pax = undefined;
    entries.push({ name, type: type === "\0" ? "0" : type, data });
  }
  return entries;
}

/**
 * The contents of `filename` in a gzip'd tar.
 *
 * @throws {CliError} with talosctl's wording when the data is not gzip, or the file is missing or not a file.
 */
export function extractFileFromTarGz(archive: Uint8Array, filename: string): Uint8Array {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(archive);
  } catch (e) {
    throw new CliError(`error initializing gzip: ${(e as Error).message}`);
  }
  for (const entry of readTar(tar)) {
    const path = cleanTarPath(entry.name);
    if (path === "") throw new CliError("empty tar header path");
    if (path === filename) {
      if (entry.type === "5" || entry.type === "2") throw new CliError(`${filename} is not a file`);
      return entry.data;
    }
  }
  throw new CliError(`couldn't find file ${filename} in the archive`);
}
