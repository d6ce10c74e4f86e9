import { writeStreamAtomic } from "./write-stream-atomic.ts";

/** Writes a file by temp file, fsync and rename, so a crash leaves the old or the new content. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  await writeStreamAtomic(
    path,
    (async function* () {
      yield bytes;
    })(),
    mode,
  );
}
