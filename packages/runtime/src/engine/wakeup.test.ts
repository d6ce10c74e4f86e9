import assert from "node:assert/strict";
import { test } from "node:test";
import { createWakeup } from "./wakeup.ts";

test("a burst of triggers collapses into one wake-up", async () => {
  const w = createWakeup();
  const ctl = new AbortController();
  for (let i = 0; i < 10; i++) w.trigger();
  assert.equal(await w.wait(ctl.signal), true);
  const second = w.wait(ctl.signal);
  ctl.abort();
  assert.equal(await second, false);
});

test("a waiter is woken by a later trigger", async () => {
  const w = createWakeup();
  const ctl = new AbortController();
  const waiting = w.wait(ctl.signal);
  w.trigger();
  assert.equal(await waiting, true);
  ctl.abort();
});

test("events() yields once per pending slot and ends on abort", async () => {
  const w = createWakeup();
  const ctl = new AbortController();
  const it = w.events(ctl.signal)[Symbol.asyncIterator]();
  w.trigger();
  w.trigger();
  assert.equal((await it.next()).done, false);
  const next = it.next();
  ctl.abort();
  assert.equal((await next).done, true);
});
