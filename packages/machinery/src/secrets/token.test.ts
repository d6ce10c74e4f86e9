import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateToken, randomTokenString, TOKEN_PATTERN } from "./token.ts";

describe("tokens", () => {
  it("have the bootstrap token format [0-9a-z]{6}.[0-9a-z]{16}", () => {
    for (let i = 0; i < 200; i++) assert.match(generateToken(), TOKEN_PATTERN);
  });

  it("use the whole alphabet without obvious bias", () => {
    const counts = new Map<string, number>();
    for (const c of randomTokenString(36 * 400)) counts.set(c, (counts.get(c) ?? 0) + 1);
    assert.equal(counts.size, 36);
    // Expected 400 each; a biased mapping (byte % 36 without rejection) would skew 0-3 by ~1/64 only,
    // so this is a sanity bound, not a statistical test.
    for (const n of counts.values()) assert.ok(n > 250 && n < 550, String(n));
  });

  it("are different every time", () => {
    assert.notEqual(generateToken(), generateToken());
  });
});
