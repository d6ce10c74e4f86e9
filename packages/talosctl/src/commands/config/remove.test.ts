import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { globMatch } from "./remove.ts";

describe("globMatch", () => {
  const cases: [string, string, boolean][] = [
    ["", "", true],
    ["", "a", false],
    ["*", "anything", true],
    ["prod", "prod", true],
    ["prod", "prod-1", false],
    ["prod*", "prod-1", true],
    ["*-1", "prod-1", true],
    ["*-1", "prod-12", false],
    ["p*d*1", "prod-1", true],
    ["p*x*1", "prod-1", false],
    ["a*a", "a", false],
    ["dev-?", "dev-1", false],
  ];
  for (const [pattern, subject, want] of cases) {
    it(`${JSON.stringify(pattern)} ${want ? "matches" : "does not match"} ${JSON.stringify(subject)}`, () =>
      assert.equal(globMatch(pattern, subject), want));
  }
});
