import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_EVENTS_TO_KEEP, ServiceEventRing } from "./events.ts";
import { ServiceState } from "./state.ts";

test("the ring keeps the last 64 events, oldest first", () => {
  const ring = new ServiceEventRing();
  assert.deepEqual(ring.get(), []);
  for (let i = 0; i < 70; i++) ring.push({ msg: `e${i}`, state: ServiceState.Running, ts: new Date() });
  const all = ring.get();
  assert.equal(all.length, MAX_EVENTS_TO_KEEP);
  assert.equal(all[0]!.msg, "e6");
  assert.equal(all.at(-1)!.msg, "e69");
  assert.deepEqual(
    ring.get(2).map((e) => e.msg),
    ["e68", "e69"],
  );
  assert.equal(ring.discarded, 6);
});
