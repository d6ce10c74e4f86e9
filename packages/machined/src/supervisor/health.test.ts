import assert from "node:assert/strict";
import { test } from "node:test";
import { HealthState, runHealthChecks, type ServiceHealth } from "./health.ts";

test("health state reports flips only", () => {
  const state = new HealthState();
  assert.deepEqual(state.get(), { unknown: true, healthy: false, lastMessage: "", lastChange: null });
  const flips: ServiceHealth[] = [];
  state.onChange((s) => flips.push(s));
  state.init();
  assert.equal(state.get().lastMessage, "Unknown");
  state.update(false, "refused");
  state.update(false, "still refused");
  state.update(true, "");
  assert.deepEqual(
    flips.map((f) => [f.healthy, f.lastMessage]),
    [
      [false, "refused"],
      [true, ""],
    ],
  );
  assert.equal(state.get().unknown, false);
});

test("the loop checks periodically and times a slow check out", async () => {
  const state = new HealthState();
  const messages: string[] = [];
  state.onChange((s) => messages.push(s.healthy ? "ok" : s.lastMessage));
  let n = 0;
  const ctl = new AbortController();
  const loop = runHealthChecks(
    {
      initialDelayMs: 5,
      periodMs: 10,
      timeoutMs: 30,
      check: async () => {
        n++;
        if (n === 1) throw new Error("connection refused");
        if (n === 3) await new Promise(() => {}); // never settles: the timeout decides
        if (n >= 4) ctl.abort();
      },
    },
    state,
    ctl.signal,
  );
  await loop;
  assert.deepEqual(messages, ["connection refused", "ok", "context deadline exceeded"]);
});
