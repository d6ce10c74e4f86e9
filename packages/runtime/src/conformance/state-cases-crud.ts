import { isConflict, isNotFound, isOwnerConflict, isPhaseConflict, isVersionConflict } from "../state/errors.ts";
import type { State } from "../state/state.ts";
import { expectEqual, expectReject, expectTrue } from "./expect.ts";
import { setValue, TEST_KIND, testPointer, testResource } from "./fixtures.ts";

/** One conformance check against a fresh `State`. */
export interface StateCase {
  readonly name: string;
  run(state: State, signal: AbortSignal): Promise<void>;
}

/** Create/get/update/destroy, ownership, phases, finalizers and `modify`. */
export const crudCases: readonly StateCase[] = [
  {
    name: "create stamps version 1, the owner and phase running",
    async run(state) {
      const created = await state.create(testResource("a", "x"), { owner: "ctrl" });
      expectEqual(created.metadata.version, 1, "version");
      expectEqual(created.metadata.owner, "ctrl", "owner");
      expectEqual(created.metadata.phase, "running", "phase");
      const got = await state.get(testPointer("a"));
      expectEqual(got.spec, { value: "x" }, "spec");
      expectEqual(got.metadata.created.getTime(), created.metadata.created.getTime(), "created");
    },
  },
  {
    name: "create of an existing ID is a conflict",
    async run(state) {
      await state.create(testResource("a"));
      await expectReject(
        state.create(testResource("a")),
        (e) => isConflict(e) && e.reason === "exists",
        "create twice",
      );
    },
  },
  {
    name: "get, update and destroy of a missing resource are not found",
    async run(state) {
      await expectReject(state.get(testPointer("nope")), isNotFound, "get");
      await expectReject(state.update(testResource("nope")), isNotFound, "update");
      await expectReject(state.destroy(testPointer("nope")), isNotFound, "destroy");
      await expectReject(
        state.modify(testPointer("nope"), () => {}),
        isNotFound,
        "modify",
      );
    },
  },
  {
    name: "reads return copies the caller may mutate",
    async run(state) {
      const input = testResource("a", "x");
      await state.create(input);
      input.spec.value = "changed after create";
      const got = await state.get(testPointer("a"));
      got.spec.value = "changed after get";
      got.metadata.labels["k"] = "v";
      const [listed] = await state.list(TEST_KIND);
      expectEqual(listed?.spec.value, "x", "stored spec");
      expectEqual(listed?.metadata.labels, {}, "stored labels");
    },
  },
  {
    name: "update needs the stored version and bumps it",
    async run(state) {
      const v1 = await state.create(testResource("a", "1"));
      const stale = structuredClone(v1);
      v1.spec.value = "2";
      const v2 = await state.update(v1);
      expectEqual(v2.metadata.version, 2, "version after update");
      stale.spec.value = "stale";
      await expectReject(state.update(stale), isVersionConflict, "stale update");
      expectEqual((await state.get(testPointer("a"))).spec.value, "2", "stored value");
    },
  },
  {
    name: "update and destroy need the same owner",
    async run(state) {
      const res = await state.create(testResource("a"), { owner: "one" });
      await expectReject(state.update(res, { owner: "two" }), isOwnerConflict, "update by another owner");
      await expectReject(state.update(res), isOwnerConflict, "update without owner");
      await expectReject(state.destroy(testPointer("a"), { owner: "two" }), isOwnerConflict, "destroy by another");
      const updated = await state.update(res, { owner: "one" });
      expectEqual(updated.metadata.owner, "one", "owner kept");
      await state.destroy(testPointer("a"), { owner: "one" });
    },
  },
  {
    name: "update expects phase running unless told otherwise",
    async run(state) {
      await state.create(testResource("a"));
      expectEqual(await state.teardown(testPointer("a")), true, "teardown ready");
      const res = await state.get(testPointer("a"));
      expectEqual(res.metadata.phase, "tearingDown", "phase");
      await expectReject(state.update(res), isPhaseConflict, "update of a tearing-down resource");
      await expectReject(
        state.modify(testPointer("a"), () => {}),
        isPhaseConflict,
        "no-op modify checks phase too",
      );
      await expectReject(
        state.update(res, { expectedPhase: "running" }),
        (e) => isPhaseConflict(e) && isConflict(e),
        "phase conflicts are conflicts",
      );
      const updated = await state.update(res, { expectedPhase: "tearingDown" });
      expectEqual(updated.metadata.version, res.metadata.version + 1, "version");
      await state.modify(testPointer("a"), setValue("any"), { expectedPhase: "any" });
    },
  },
  {
    name: "finalizers block destroy until removed",
    async run(state) {
      await state.create(testResource("a"), { owner: "owner" });
      await state.addFinalizer(testPointer("a"), ["f1", "f2"]);
      await state.addFinalizer(testPointer("a"), ["f1"]);
      const res = await state.get(testPointer("a"));
      expectEqual(res.metadata.finalizers, ["f1", "f2"], "finalizers are a set");
      expectEqual(res.metadata.version, 2, "re-adding a finalizer is a no-op");
      expectEqual(res.metadata.owner, "owner", "owner unchanged");
      await expectReject(
        state.destroy(testPointer("a"), { owner: "owner" }),
        (e) => isConflict(e) && e.reason === "finalizers",
        "destroy with finalizers",
      );
      expectEqual(await state.teardown(testPointer("a"), { owner: "owner" }), false, "teardown not ready");
      await state.removeFinalizer(testPointer("a"), ["f1"]);
      expectEqual(await state.teardown(testPointer("a"), { owner: "owner" }), false, "one finalizer left");
      await state.removeFinalizer(testPointer("a"), ["f2", "unknown"]);
      expectEqual(await state.teardown(testPointer("a"), { owner: "owner" }), true, "teardown ready");
      await state.destroy(testPointer("a"), { owner: "owner" });
      await expectReject(state.get(testPointer("a")), isNotFound, "destroyed");
    },
  },
  {
    name: "teardown is idempotent and checks the owner",
    async run(state) {
      await state.create(testResource("a"), { owner: "owner" });
      await expectReject(state.teardown(testPointer("a")), isOwnerConflict, "teardown by another owner");
      await state.teardown(testPointer("a"), { owner: "owner" });
      await state.teardown(testPointer("a"), { owner: "owner" });
      const res = await state.get(testPointer("a"));
      expectEqual(res.metadata.version, 2, "one version bump for two teardowns");
    },
  },
  {
    name: "modify writes only real changes",
    async run(state) {
      await state.create(testResource("a", "x", { l: "1" }), { owner: "o" });
      const same = await state.modify(testPointer("a"), setValue("x"), { owner: "o" });
      expectEqual(same.metadata.version, 1, "no-op modify keeps the version");
      const changed = await state.modify(
        testPointer("a"),
        (r) => {
          r.spec.count = 3;
          r.metadata.labels["l"] = "2";
        },
        { owner: "o" },
      );
      expectEqual(changed.metadata.version, 2, "version after a change");
      expectEqual(changed.spec, { value: "x", count: 3 }, "spec after a change");
      expectEqual(changed.metadata.labels, { l: "2" }, "labels after a change");
      await expectReject(
        state.modify(testPointer("a"), setValue("y"), { owner: "other" }),
        isOwnerConflict,
        "modify by another owner",
      );
      await expectReject(
        state.modify(testPointer("a"), () => {
          throw new RangeError("boom");
        }),
        (e) => e instanceof RangeError,
        "updater errors propagate",
      );
    },
  },
  {
    name: "modify retries when a concurrent write wins",
    async run(state) {
      await state.create(testResource("a", "x"));
      let calls = 0;
      const result = await state.modify(testPointer("a"), async (r) => {
        calls++;
        if (calls === 1)
          await state.modify(testPointer("a"), (c) => {
            c.spec.count = 1;
          });
        r.spec.value = `${r.spec.value}!`;
      });
      expectEqual(calls, 2, "updater calls");
      expectEqual(result.spec, { value: "x!", count: 1 }, "both writes kept");
      expectEqual(result.metadata.version, 3, "version");
    },
  },
  {
    name: "namespaces and types are separate collections",
    async run(state) {
      const other = { namespace: "other", type: TEST_KIND.type, id: "a" };
      const otherType = { namespace: TEST_KIND.namespace, type: "OtherResources.conformance.dev", id: "a" };
      await state.create(testResource("a", "main"));
      await state.create({ ...testResource("a", "other"), metadata: { ...testResource("a").metadata, ...other } });
      await state.create({ ...testResource("a", "type"), metadata: { ...testResource("a").metadata, ...otherType } });
      expectEqual((await state.get(testPointer("a"))).spec.value, "main", "main namespace");
      expectEqual((await state.get<{ value: string }>(other)).spec.value, "other", "other namespace");
      await state.destroy(other);
      expectTrue((await state.list(TEST_KIND)).length === 1, "main collection untouched");
      expectEqual((await state.get<{ value: string }>(otherType)).spec.value, "type", "other type");
    },
  },
];
