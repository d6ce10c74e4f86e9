import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pollCondition, waitForAll, waitForFilesToExist, waitForFileToExist } from "./condition.ts";

test("waitForAll describes what is still pending", async () => {
  let a = false;
  let b = false;
  const all = waitForAll(
    pollCondition("a to be true", () => a, 5),
    undefined,
    pollCondition("b to be true", () => b, 5),
  );
  assert.equal(all.describe(), "a to be true, b to be true");
  const ctl = new AbortController();
  const waiting = all.wait(ctl.signal);
  a = true;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(all.describe(), "b to be true");
  b = true;
  await waiting;
  assert.equal(all.describe(), "");
  // Reusable: a new wait starts from all conditions again.
  a = false;
  const again = all.wait(ctl.signal);
  assert.equal(all.describe(), "a to be true, b to be true");
  ctl.abort();
  await assert.rejects(again, { message: "context canceled" });
});

test("files to exist", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cond-"));
  try {
    const f = join(dir, "ready");
    const c = waitForFileToExist(f, 5);
    assert.equal(c.describe(), `file "${f}" to exist`);
    const ctl = new AbortController();
    const waiting = waitForFilesToExist([f], 5).wait(ctl.signal);
    await writeFile(f, "");
    await waiting;
    await c.wait(ctl.signal);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
