import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { writeStreamAtomic } from "./write-stream-atomic.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "write-stream-atomic-"));
});
after(() => rm(dir, { recursive: true, force: true }));

async function* from(parts: string[], failAfter?: number): AsyncIterable<Uint8Array> {
  for (const [i, p] of parts.entries()) {
    if (i === failAfter) throw new Error("stream broke");
    yield Buffer.from(p);
  }
}

test("the chunks land in the file, with the mode, and the size is returned", async () => {
  const path = join(dir, "ok.bin");
  assert.equal(await writeStreamAtomic(path, from(["ab", "cd", "e"]), 0o600), 5);
  assert.equal(await readFile(path, "utf8"), "abcde");
  assert.equal((await stat(path)).mode & 0o777, 0o600);
});

test("a broken stream leaves the previous file and no temp file", async () => {
  const path = join(dir, "keep.bin");
  await writeFile(path, "old");
  await assert.rejects(writeStreamAtomic(path, from(["new", "er"], 1)), /stream broke/);
  assert.equal(await readFile(path, "utf8"), "old");
  assert.deepEqual((await readdir(dir)).filter((f) => f.includes("keep")).sort(), ["keep.bin"]);
});
