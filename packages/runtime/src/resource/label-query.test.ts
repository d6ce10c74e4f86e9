import assert from "node:assert/strict";
import { test } from "node:test";
import { type LabelTerm, matchesIdQuery, matchesLabelQuery, matchesLabelTerm } from "./label-query.ts";

const labels = { size: "4Gi", count: "10", name: "beta", empty: "" };

test("label terms: table", () => {
  const cases: [LabelTerm, boolean][] = [
    [{ key: "name", op: "exists" }, true],
    [{ key: "missing", op: "exists" }, false],
    [{ key: "missing", op: "exists", invert: true }, true],
    [{ key: "missing", op: "notExists" }, true],
    [{ key: "name", op: "notExists" }, false],
    [{ key: "name", op: "notExists", invert: true }, true],
    [{ key: "empty", op: "equal", value: [""] }, true],
    [{ key: "name", op: "equal", value: ["beta"] }, true],
    [{ key: "missing", op: "equal", value: ["beta"], invert: true }, true],
    [{ key: "name", op: "equal" }, false],
    [{ key: "name", op: "in", value: ["alpha", "beta"] }, true],
    [{ key: "name", op: "in", value: ["alpha"], invert: true }, true],
    [{ key: "name", op: "lt", value: ["gamma"] }, true],
    [{ key: "name", op: "lt", value: ["beta"] }, false],
    [{ key: "name", op: "lte", value: ["beta"] }, true],
    [{ key: "count", op: "lt", value: ["9"] }, true],
    [{ key: "count", op: "ltNumeric", value: ["9"] }, false],
    [{ key: "count", op: "lteNumeric", value: ["10"] }, true],
    [{ key: "count", op: "ltNumeric", value: ["1k"] }, true],
    [{ key: "size", op: "ltNumeric", value: ["4G"] }, false],
    [{ key: "size", op: "ltNumeric", value: ["5G"] }, true],
    [{ key: "size", op: "lteNumeric", value: ["4096Mi"] }, true],
    [{ key: "size", op: "ltNumeric", value: ["4096Mi"] }, false],
    [{ key: "name", op: "ltNumeric", value: ["5"] }, false],
    [{ key: "name", op: "ltNumeric", value: ["5"], invert: true }, false],
    [{ key: "count", op: "ltNumeric", value: ["-5"], invert: true }, true],
  ];
  for (const [term, expected] of cases) {
    assert.equal(matchesLabelTerm(labels, term), expected, JSON.stringify(term));
  }
});

test("no query, an empty query and an empty list match everything", () => {
  assert.equal(matchesLabelQuery({}, undefined), true);
  assert.equal(matchesLabelQuery({}, { terms: [] }), true);
  assert.equal(matchesLabelQuery({}, []), true);
});

test("ID queries are unanchored regular expressions", () => {
  assert.equal(matchesIdQuery("eth0", { regexp: "th" }), true);
  assert.equal(matchesIdQuery("eth0", { regexp: "^th" }), false);
  const sticky = { regexp: /eth/gy };
  assert.equal(matchesIdQuery("eth0", sticky), true);
  assert.equal(matchesIdQuery("eth0", sticky), true, "no lastIndex memory");
  assert.equal(matchesIdQuery("anything", undefined), true);
});
