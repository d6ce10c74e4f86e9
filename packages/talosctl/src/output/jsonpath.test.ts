import assert from "node:assert/strict";
import { test } from "node:test";
import { evalJsonPath, formatJsonPathValue } from "./jsonpath.ts";

test("evalJsonPath", () => {
  const v = { hostname: "a", addresses: ["1.1.1.1", "2.2.2.2"], nested: { list: [{ x: 1 }, { x: 2 }] } };
  assert.deepEqual(evalJsonPath(v, "{.hostname}"), ["a"]);
  assert.deepEqual(evalJsonPath(v, "{.addresses}"), [["1.1.1.1", "2.2.2.2"]]);
  assert.deepEqual(evalJsonPath(v, "{.addresses[1]}"), ["2.2.2.2"]);
  assert.deepEqual(evalJsonPath(v, "{.nested.list[*].x}"), [1, 2]);
  assert.deepEqual(evalJsonPath(v, "{.missing}"), []);
  assert.equal(formatJsonPathValue(["1.1.1.1"]), '["1.1.1.1"]');
});
