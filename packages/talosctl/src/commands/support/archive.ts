// The support bundle's zip file, written as the collectors finish: entries are deflated into a temp file
// beside the target, which replaces the target (if any) by rename once the archive is complete. A failed
// or interrupted run leaves the previous file, if there was one, untouched.
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Zip, ZipDeflate } from "fflate";
import { syncDir } from "../../util/files.ts";

export class BundleArchive {
  readonly #path: string;
  readonly #tmp: string;
  readonly #handle: FileHandle;
  readonly #zip: Zip;
  /** Writes of the zip's output to the temp file, in order. */
  #writes: Promise<void> = Promise.resolve();
  #failure: Error | undefined;
  #ended: Promise<void>;
  #entries = 0;

  private constructor(path: string, tmp: string, handle: FileHandle) {
    this.#path = path;
    this.#tmp = tmp;
    this.#handle = handle;
    let finish: () => void = () => {};
    this.#ended = new Promise((r) => {
      finish = r;
    });
    this.#zip = new Zip((err, chunk, final) => {
      if (err !== null) {
        this.#failure ??= err;
      } else if (chunk.length > 0) {
        // Each chunk is a fresh array, so it can be written later, after the writes queued before it.
        this.#writes = this.#writes
          .then(async () => {
            await this.#handle.write(chunk);
          })
          .catch((e: unknown) => {
            this.#failure ??= e instanceof Error ? e : new Error(String(e));
          });
      }
      if (final) finish();
    });
  }

  /** Starts an archive that will land at `path` (relative to the working directory). */
  static async create(path: string): Promise<BundleArchive> {
    const target = resolve(path);
    const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
    const handle = await open(tmp, "w", 0o644);
    return new BundleArchive(target, tmp, handle);
  }

  /** Number of files added so far. */
  get entries(): number {
    return this.#entries;
  }

  /** Adds a file (`<folder>/<name>`, forward slashes). */
  add(name: string, data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    const file = new ZipDeflate(name, { level: 6 });
    this.#zip.add(file);
    file.push(bytes, true);
    this.#entries++;
  }

  /** Finishes the archive: the central directory, fsync, then rename over the target. */
  async commit(): Promise<void> {
    this.#zip.end();
    await this.#ended;
    try {
      await this.#writes;
      if (this.#failure !== undefined) throw this.#failure;
      await this.#handle.chmod(0o644);
      await this.#handle.sync();
    } finally {
      await this.#handle.close();
    }
    await rename(this.#tmp, this.#path);
    await syncDir(dirname(this.#path));
  }

  /** Drops the temp file (after a failure). */
  async abort(): Promise<void> {
    this.#zip.terminate();
    await this.#writes;
    await this.#handle.close().catch(() => {});
    await rm(this.#tmp, { force: true });
  }
}
