import assert from "node:assert/strict";
import { test } from "node:test";
import { createBackoff, DEFAULT_BACKOFF } from "./backoff.ts";

test("defaults are COSI's: 0.5 s, ×1.5, ±50 %, max 60 s", () => {
  assert.equal(DEFAULT_BACKOFF.initialMs, 500);
  assert.equal(DEFAULT_BACKOFF.multiplier, 1.5);
  assert.equal(DEFAULT_BACKOFF.jitter, 0.5);
  assert.equal(DEFAULT_BACKOFF.maxMs, 60_000);
});

test("delays grow by the multiplier up to the cap, and reset starts over", () => {
  const b = createBackoff({ random: () => 0.5 });
  const delays = Array.from({ length: 14 }, () => b.next());
  assert.deepEqual(delays.slice(0, 4), [500, 750, 1125, 1688]);
  assert.equal(delays.at(-1), 60_000);
  b.reset();
  assert.equal(b.next(), 500);
});

test("jitter spreads each delay by ±50 %", () => {
  assert.equal(createBackoff({ random: () => 0 }).next(), 250);
  assert.equal(createBackoff({ random: () => 0.999_999 }).next(), 750);
  assert.equal(createBackoff({ jitter: 0, random: () => 0.9 }).next(), 500);
});
