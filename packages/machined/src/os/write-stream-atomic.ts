import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes a stream of chunks to a file by temp file, fsync and rename: an interrupted or failed stream leaves
 * no (partial) file behind, and a previous file stays until the new one is complete.
 */
export async function writeStreamAtomic(
  path: string,
  chunks: AsyncIterable<Uint8Array>,
  mode = 0o600,
): Promise<number> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let size = 0;
  const handle = await open(tmp, "w", mode);
  try {
    for await (const chunk of chunks) {
      await handle.write(chunk);
      size += chunk.length;
    }
    await handle.chmod(mode);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  await rename(tmp, path);
  const dir = await open(dirname(path), "r");
  try {
    await dir.sync().catch(() => {});
  } finally {
    await dir.close();
  }
  return size;
}
