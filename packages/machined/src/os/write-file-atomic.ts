import { open, rename } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Writes a file by temp file, fsync and rename, so a crash leaves the old or the new content. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const handle = await open(tmp, "w", mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  const dir = await open(dirname(path), "r");
  try {
    await dir.sync().catch(() => {});
  } finally {
    await dir.close();
  }
}
