import { formatVersion } from "../resource/metadata.ts";
import { isTombstone } from "../resource/tombstone.ts";
import type { WatchEvent } from "../state/state.ts";
import { expectEqual, expectReject, expectTrue, nextOf } from "./expect.ts";
import { describeEvent, setLabel, setValue, TEST_KIND, type TestSpec, testPointer, testResource } from "./fixtures.ts";
import type { StateCase } from "./state-cases-crud.ts";

/** Watch bootstrap, ordering, filters, `watchFor`, cancellation and slow consumers. */
export const watchCases: readonly StateCase[] = [
  {
    name: "watch on an absent resource starts with a destroyed tombstone",
    async run(state, signal) {
      const events = state.watch(testPointer("a"), signal)[Symbol.asyncIterator]();
      const first = await nextOf(events, "initial event");
      expectEqual(first.type, "destroyed", "initial event type");
      if (first.type !== "destroyed") return;
      expectTrue(isTombstone(first.resource), "initial resource is a tombstone");
      expectEqual(formatVersion(first.resource.metadata.version), "undefined", "tombstone version");
      expectEqual(first.resource.metadata.id, "a", "tombstone id");

      await state.create(testResource("a", "1"));
      await state.create(testResource("other"));
      await state.modify(testPointer("a"), setValue("2"));
      await state.destroy(testPointer("a"));
      const seen = [
        await nextOf(events, "created"),
        await nextOf(events, "updated"),
        await nextOf(events, "destroyed"),
      ];
      expectEqual(seen.map(describeEvent), ["created:a@1", "updated:a@2", "destroyed:a@2"], "events");
      const updated = seen[1] as WatchEvent<TestSpec>;
      if (updated.type === "updated") {
        expectEqual(updated.old.spec.value, "1", "old spec");
        expectEqual(updated.resource.spec.value, "2", "new spec");
      }
      const destroyed = seen[2] as WatchEvent<TestSpec>;
      if (destroyed.type === "destroyed") expectTrue(!isTombstone(destroyed.resource), "last state, not a tombstone");
    },
  },
  {
    name: "watch on an existing resource starts with created",
    async run(state, signal) {
      await state.create(testResource("a", "1"));
      await state.modify(testPointer("a"), setValue("2"));
      const events = state.watch(testPointer("a"), signal)[Symbol.asyncIterator]();
      await state.modify(testPointer("a"), setValue("3"));
      const seen = [await nextOf(events, "initial"), await nextOf(events, "update")];
      expectEqual(seen.map(describeEvent), ["created:a@2", "updated:a@3"], "events");
    },
  },
  {
    name: "watchKind bootstraps existing items, then streams changes",
    async run(state, signal) {
      await state.create(testResource("b"));
      await state.create(testResource("a"));
      const events = state.watchKind(TEST_KIND, { bootstrapContents: true }, signal)[Symbol.asyncIterator]();
      await state.create(testResource("c"));
      await state.modify(testPointer("a"), setValue("changed"));
      await state.modify(testPointer("a"), setValue("changed"));
      await state.destroy(testPointer("b"));
      const seen: string[] = [];
      for (let i = 0; i < 6; i++) seen.push(describeEvent(await nextOf(events, `event ${i}`)));
      expectEqual(
        seen,
        ["created:a@1", "created:b@1", "bootstrapped", "created:c@1", "updated:a@2", "destroyed:b@1"],
        "events",
      );
    },
  },
  {
    name: "watchKind without bootstrap streams only changes",
    async run(state, signal) {
      await state.create(testResource("a"));
      const events = state.watchKind(TEST_KIND, {}, signal)[Symbol.asyncIterator]();
      await state.create(testResource("b"));
      expectEqual(describeEvent(await nextOf(events, "first")), "created:b@1", "first event");
    },
  },
  {
    name: "watchKind with a label query sees updates crossing it as created/destroyed",
    async run(state, signal) {
      await state.create(testResource("a", "v", { role: "cp" }));
      await state.create(testResource("b", "v", { role: "worker" }));
      const query = { terms: [{ key: "role", op: "equal", value: ["cp"] }] } as const;
      const events = state
        .watchKind(TEST_KIND, { bootstrapContents: true, labelQuery: query }, signal)
        [Symbol.asyncIterator]();
      await state.modify(testPointer("b"), setLabel("role", "cp"));
      await state.modify(testPointer("a"), setLabel("role", "worker"));
      await state.modify(testPointer("a"), setValue("ignored"));
      await state.modify(testPointer("b"), setValue("seen"));
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) seen.push(describeEvent(await nextOf(events, `event ${i}`)));
      expectEqual(seen, ["created:a@1", "bootstrapped", "created:b@2", "destroyed:a@2", "updated:b@3"], "events");
    },
  },
  {
    name: "watchKind filters by ID regexp",
    async run(state, signal) {
      const events = state.watchKind(TEST_KIND, { idQuery: { regexp: "^keep" } }, signal)[Symbol.asyncIterator]();
      await state.create(testResource("drop"));
      await state.create(testResource("keep-1"));
      expectEqual(describeEvent(await nextOf(events, "first")), "created:keep-1@1", "first event");
    },
  },
  {
    name: "watches end when their signal aborts",
    async run(state, signal) {
      const ctl = new AbortController();
      const linked = AbortSignal.any([signal, ctl.signal]);
      const single = state.watch(testPointer("a"), linked)[Symbol.asyncIterator]();
      const kind = state.watchKind(TEST_KIND, {}, linked)[Symbol.asyncIterator]();
      await nextOf(single, "initial");
      const pendingSingle = single.next();
      const pendingKind = kind.next();
      ctl.abort();
      expectEqual((await pendingSingle).done, true, "id watch ended");
      expectEqual((await pendingKind).done, true, "kind watch ended");
    },
  },
  {
    name: "watchFor resolves once the condition holds",
    async run(state, signal) {
      const waiting = state.watchFor(testPointer("a"), (r) => r?.spec.value === "ready", signal);
      await state.create(testResource("a", "starting"));
      await state.modify(testPointer("a"), setValue("ready"));
      const res = await waiting;
      expectEqual(res?.metadata.version, 2, "version seen");
      const gone = state.watchFor(testPointer("a"), (r) => r === undefined, signal);
      await state.destroy(testPointer("a"));
      expectEqual(await gone, undefined, "absence");
      expectEqual(await state.watchFor(testPointer("never"), (r) => r === undefined, signal), undefined, "absent now");
    },
  },
  {
    name: "watchFor rejects when its signal aborts",
    async run(state) {
      const ctl = new AbortController();
      const waiting = state.watchFor(testPointer("a"), (r) => r !== undefined, ctl.signal);
      ctl.abort(new Error("stop waiting"));
      await expectReject(waiting, (e) => e instanceof Error && e.message === "stop waiting", "abort reason");
    },
  },
  {
    name: "a slow watcher gets every event in order, or an errored event, never a silent gap",
    async run(state, signal) {
      await state.create(testResource("a", "0"));
      const events = state.watch(testPointer("a"), signal)[Symbol.asyncIterator]();
      const writes = 3000;
      for (let i = 1; i <= writes; i++) await state.modify(testPointer("a"), setValue(String(i)));
      let expected = 1;
      for (;;) {
        const event = await nextOf(events, `version ${expected}`);
        if (event.type === "errored") break;
        expectTrue(event.type === "created" || event.type === "updated", `event type ${event.type}`);
        if (event.type !== "created" && event.type !== "updated") return;
        expectEqual(event.resource.metadata.version, expected, "contiguous versions");
        if (expected === writes + 1) break;
        expected++;
      }
    },
  },
];
