import assert from "node:assert/strict";
import { test } from "node:test";
import { deepEqual } from "./equal.ts";
import { formatVersion, parseVersion, VERSION_UNDEFINED } from "./metadata.ts";
import { formatPointer, newKind, newPointer } from "./pointer.ts";
import { copyResource, newResource, resourceEqual } from "./resource.ts";
import { isTombstone, newTombstone } from "./tombstone.ts";

const KIND = newKind<{ a: number; b?: string[]; at?: Date; raw?: Uint8Array }>("ns", "Things.test.dev");

test("versions render as decimal strings, undefined for unstored resources", () => {
  assert.equal(formatVersion(1), "1");
  assert.equal(formatVersion(42), "42");
  assert.equal(formatVersion(VERSION_UNDEFINED), "undefined");
  assert.equal(parseVersion("17"), 17);
  assert.equal(parseVersion("undefined"), VERSION_UNDEFINED);
  for (const bad of ["", "0", "01", "-1", "1.5", "x", "99999999999999999999"]) {
    assert.throws(() => parseVersion(bad), TypeError, bad);
  }
});

test("newResource fills fresh metadata", () => {
  const r = newResource(newPointer(KIND, "x"), { a: 1 }, { labels: { l: "1" }, finalizers: ["f", "f"] });
  assert.equal(formatPointer(r.metadata), "ns/Things.test.dev/x");
  assert.equal(r.metadata.version, VERSION_UNDEFINED);
  assert.equal(r.metadata.phase, "running");
  assert.equal(r.metadata.owner, "");
  assert.deepEqual(r.metadata.finalizers, ["f"]);
  assert.deepEqual(r.metadata.labels, { l: "1" });
});

test("resourceEqual sees spec, labels, annotations, finalizers and phase, not timestamps", () => {
  const base = newResource(newPointer(KIND, "x"), { a: 1, b: ["x"], at: new Date(5), raw: new Uint8Array([1, 2]) });
  const same = copyResource(base);
  same.metadata.updated = new Date(99);
  assert.ok(resourceEqual(base, same));
  const mutations: ((r: typeof base) => void)[] = [
    (r) => void r.spec.b?.push("y"),
    (r) => void r.spec.raw?.set([3], 0),
    (r) => {
      r.spec.at = new Date(6);
    },
    (r) => {
      r.metadata.labels["k"] = "v";
    },
    (r) => {
      r.metadata.annotations["k"] = "v";
    },
    (r) => void r.metadata.finalizers.push("f"),
    (r) => {
      r.metadata.phase = "tearingDown";
    },
  ];
  for (const mutate of mutations) {
    const changed = copyResource(base);
    mutate(changed);
    assert.equal(resourceEqual(base, changed), false, mutate.toString());
  }
});

test("deepEqual treats undefined properties as absent", () => {
  assert.ok(deepEqual({ a: 1, b: undefined }, { a: 1 }));
  assert.ok(!deepEqual({ a: 1 }, { a: 1, b: null }));
  assert.ok(!deepEqual([1, 2], [1, 2, 3]));
  assert.ok(deepEqual(new Map([["k", { x: 1 }]]), new Map([["k", { x: 1 }]])));
  assert.ok(!deepEqual(new Set([1]), new Set([2])));
  assert.ok(!deepEqual({}, []));
  assert.ok(deepEqual(Number.NaN, Number.NaN));
});

test("tombstones carry only metadata", () => {
  const t = newTombstone(newPointer(KIND, "gone"));
  assert.ok(isTombstone(t));
  assert.equal(formatVersion(t.metadata.version), "undefined");
  assert.equal(isTombstone(newResource(newPointer(KIND, "x"), { a: 1 })), false);
});
