import { constants } from "node:fs";
import { access, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CliError } from "../cli/errors.ts";

export interface WriteOptions {
  /** File mode; secrets and talosconfig are 0600. */
  readonly mode?: number;
  /** Replace an existing file. Without it an existing file is an error and nothing is written. */
  readonly overwrite?: boolean;
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a file atomically: a temp file beside the target, fsync, rename, fsync of the directory.
 * A crash leaves either the old file or the new one, never half of it.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteOptions = {}): Promise<void> {
  await writeFilesAtomic([{ path, data, ...opts }]);
}

export interface FileToWrite extends WriteOptions {
  readonly path: string;
  readonly data: string | Uint8Array;
}

/**
 * Writes several files as one step: every overwrite check happens before the first byte is written, and
 * each file lands by rename, so a refused or failed run leaves no new or partial file behind.
 */
export async function writeFilesAtomic(files: readonly FileToWrite[]): Promise<void> {
  for (const f of files) {
    if (!f.overwrite && (await fileExists(f.path))) {
      throw new CliError(`${f.path} already exists, use --force to overwrite`);
    }
  }
  const staged: { tmp: string; path: string }[] = [];
  try {
    for (const f of files) {
      const dir = dirname(f.path);
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.${basename(f.path)}.${process.pid}.${Date.now()}.tmp`);
      const handle = await open(tmp, "w", f.mode ?? 0o644);
      try {
        await handle.writeFile(f.data);
        await handle.chmod(f.mode ?? 0o644);
        await handle.sync();
      } finally {
        await handle.close();
      }
      staged.push({ tmp, path: f.path });
    }
    for (const s of staged) {
      await rename(s.tmp, s.path);
      await syncDir(dirname(s.path));
    }
  } catch (e) {
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    throw e;
  }
}

/** fsyncs a directory so a rename in it is durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}

/** Reads a file a user named, with an error that says which flag or argument it came from. */
export async function readUserFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new CliError(`${what}: cannot read ${path}: ${readFailureReason(e)}`);
  }
}

/** Why reading a user's file failed, in words (no such file, permission denied, a directory). */
export function readFailureReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory, expected a file";
  return (e as Error).message;
}
