import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { relTime } from "./rel-time.ts";

const now = new Date("2021-07-05T22:06:42Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const DAY = 24 * 3600 * 1000;

describe("relTime", () => {
  const cases: [number, string][] = [
    [0, "now"],
    [1500, "1 second from now"],
    [-45_000, "45 seconds ago"],
    [90_000, "1 minute from now"],
    [-3 * 3600 * 1000, "3 hours ago"],
    [DAY + 1000, "1 day from now"],
    [3 * DAY, "3 days from now"],
    [10 * DAY, "1 week from now"],
    [29 * DAY, "4 weeks from now"],
    [45 * DAY, "1 month from now"],
    [364 * DAY, "1 year from now"],
    [330 * DAY, "11 months from now"],
    [-600 * DAY, "2 years ago"],
    [3650 * DAY, "10 years from now"],
    [40 * 365 * DAY, "a long while from now"],
  ];
  for (const [offset, want] of cases) {
    it(want, () => assert.equal(relTime(at(offset), now), want));
  }
});
