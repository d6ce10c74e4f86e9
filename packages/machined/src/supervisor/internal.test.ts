import assert from "node:assert/strict";
import { test } from "node:test";
import { capitalize, delay, goQuoteList, Notifier } from "./internal.ts";

test("Go-style quoting and capitalisation used in event messages", () => {
  assert.equal(goQuoteList(["/bin/sh", "-c", 'echo "hi"\n']), '["/bin/sh" "-c" "echo \\"hi\\"\\n"]');
  assert.equal(capitalize("failed running service: x"), "Failed running service: x");
  assert.equal(capitalize(""), "");
});

test("delay and the notifier honour abort", async () => {
  const ctl = new AbortController();
  const waiting = delay(10_000, ctl.signal);
  ctl.abort();
  assert.equal(await waiting, false);
  assert.equal(await delay(1), true);

  const n = new Notifier();
  const woke = n.wait();
  n.notify();
  await woke;
  const ctl2 = new AbortController();
  const w2 = n.wait(ctl2.signal);
  ctl2.abort();
  await w2;
});
