import assert from "node:assert/strict";
import { test } from "node:test";
import { runStateConformance } from "../../conformance/state-conformance.ts";
import { newKind, newPointer } from "../../resource/pointer.ts";
import { newResource } from "../../resource/resource.ts";
import type { WatchEvent } from "../state.ts";
import { createInMemoryState } from "./inmem-state.ts";

runStateConformance(() => createInMemoryState(), test);

const KIND = newKind<{ n: number }>("ns", "Things.test.dev");

test("many concurrent watches on one signal all see the change and end on abort", async () => {
  const state = createInMemoryState();
  const ctl = new AbortController();
  const streams = Array.from({ length: 50 }, () => state.watchKind(KIND, {}, ctl.signal)[Symbol.asyncIterator]());
  const firsts = await Promise.all([
    ...streams.map((s) => s.next()),
    state.create(newResource(newPointer(KIND, "a"), { n: 1 })),
  ]);
  assert.equal(firsts.filter((e) => "done" in e && e.value?.type === "created").length, 50);
  const seconds = streams.map((s) => s.next());
  ctl.abort();
  assert.ok((await Promise.all(seconds)).every((e) => e.done === true));
});

test("a watcher that falls behind the history gets errored, then the stream ends", async () => {
  const state = createInMemoryState({ historyCapacity: 4 });
  const ctl = new AbortController();
  const stream = state.watchKind(KIND, {}, ctl.signal)[Symbol.asyncIterator]();
  for (let i = 0; i < 6; i++) await state.create(newResource(newPointer(KIND, `r${i}`), { n: i }));
  const first = await stream.next();
  assert.equal(first.done, false);
  assert.equal((first.value as WatchEvent).type, "errored");
  assert.match((first.value as WatchEvent & { type: "errored" }).error.message, /buffer overrun/);
  assert.equal((await stream.next()).done, true);
  ctl.abort();
});

test("a watcher within the history gets every event", async () => {
  const state = createInMemoryState({ historyCapacity: 4 });
  const ctl = new AbortController();
  const stream = state.watchKind(KIND, {}, ctl.signal)[Symbol.asyncIterator]();
  for (let i = 0; i < 4; i++) await state.create(newResource(newPointer(KIND, `r${i}`), { n: i }));
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { value } = await stream.next();
    assert.ok(value !== undefined && value.type === "created");
    ids.push(value.resource.metadata.id);
  }
  assert.deepEqual(ids, ["r0", "r1", "r2", "r3"]);
  ctl.abort();
});

test("timestamps come from the injected clock", async () => {
  let t = 1000;
  const state = createInMemoryState({ now: () => new Date(t) });
  const ptr = newPointer(KIND, "a");
  const created = await state.create(newResource(ptr, { n: 1 }));
  t = 2000;
  const updated = await state.modify(ptr, (r) => {
    r.spec.n = 2;
  });
  assert.equal(created.metadata.created.getTime(), 1000);
  assert.equal(updated.metadata.created.getTime(), 1000);
  assert.equal(updated.metadata.updated.getTime(), 2000);
  assert.equal(updated.spec.n, 2);
});
