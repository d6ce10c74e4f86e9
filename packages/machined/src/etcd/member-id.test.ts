import assert from "node:assert/strict";
import { test } from "node:test";
import { formatMemberId, parseMemberId } from "./member-id.ts";

test("formatMemberId: 16 zero-padded lowercase hex digits", () => {
  assert.equal(formatMemberId(1n), "0000000000000001");
  assert.equal(formatMemberId(0x8e9e05c52164694dn), "8e9e05c52164694d");
  assert.equal(formatMemberId((1n << 64n) - 1n), "ffffffffffffffff");
  assert.throws(() => formatMemberId(-1n), RangeError);
  assert.throws(() => formatMemberId(1n << 64n), RangeError);
});

test("parseMemberId: hex, any case, round-trips", () => {
  assert.equal(parseMemberId("8E9E05C52164694D"), 0x8e9e05c52164694dn);
  assert.equal(parseMemberId("1"), 1n);
  assert.equal(parseMemberId(formatMemberId(0xabcn)), 0xabcn);
  for (const bad of ["", "0x1", "12345678901234567", "g", " 1", "-1"]) {
    assert.throws(() => parseMemberId(bad), /invalid etcd member ID/, bad);
  }
});
