import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { columnize } from "./columnize.ts";
import {
  enumName,
  formatMemberId,
  goDurationSeconds,
  goFileMode,
  goNowString,
  goStampLocal,
  goStringSlice,
  goTimeStringUTC,
  humanizeBytes,
} from "./go-format.ts";

describe("Go formatting", () => {
  it("humanizeBytes follows go-humanize's Bytes", () => {
    const cases: [bigint | number, string][] = [
      [0, "0 B"],
      [9, "9 B"],
      [10, "10 B"],
      [999, "999 B"],
      [1000, "1.0 kB"],
      [1500, "1.5 kB"],
      [5_120_000n, "5.1 MB"],
      [20_480_000n, "20 MB"],
      [21_000_000n, "21 MB"],
      [21_500_000n, "22 MB"],
      [10_737_418_240n, "11 GB"],
      [1_500_000_000_000n, "1.5 TB"],
    ];
    for (const [v, want] of cases) assert.equal(humanizeBytes(v), want, String(v));
  });

  it("goDurationSeconds prints time.Duration rounded to seconds", () => {
    const cases: [number, string][] = [
      [0, "0s"],
      [499, "0s"],
      [500, "1s"],
      [45_000, "45s"],
      [65_000, "1m5s"],
      [120_000, "2m0s"],
      [3_725_000, "1h2m5s"],
      [93_600_000, "26h0m0s"],
      [-5_000, "-5s"],
    ];
    for (const [ms, want] of cases) assert.equal(goDurationSeconds(ms), want, String(ms));
  });

  it("goTimeStringUTC prints time.Time.String() of a UTC timestamp", () => {
    assert.equal(goTimeStringUTC({ seconds: 1_704_164_645n, nanos: 0 }), "2024-01-02 03:04:05 +0000 UTC");
    assert.equal(
      goTimeStringUTC({ seconds: 1_704_164_645n, nanos: 120_000_500 }),
      "2024-01-02 03:04:05.1200005 +0000 UTC",
    );
    assert.equal(goTimeStringUTC(undefined), "0001-01-01 00:00:00 +0000 UTC");
  });

  it("goNowString has Go's layout with the monotonic reading", () => {
    assert.match(
      goNowString(new Date(2024, 0, 2, 3, 4, 5, 600), 1234.5),
      /^2024-01-02 03:04:05\.6 [+-]\d{4} \S+ m=\+1\.234500000$/,
    );
  });

  it("goFileMode prints os.FileMode.String()", () => {
    assert.equal(goFileMode(0o644), "-rw-r--r--");
    assert.equal(goFileMode((2 ** 31 + 0o755) >>> 0), "drwxr-xr-x");
    assert.equal(goFileMode((2 ** 27 + 0o777) >>> 0), "Lrwxrwxrwx");
    assert.equal(goFileMode((2 ** 26 + 2 ** 21 + 0o620) >>> 0), "Dcrw--w----");
    assert.equal(goFileMode((2 ** 31 + 2 ** 20 + 0o777) >>> 0), "dtrwxrwxrwx");
  });

  it("stamps, slices, enum names and member IDs", () => {
    assert.equal(goStampLocal(new Date(2024, 0, 2, 3, 4, 5)), "Jan  2 03:04:05");
    assert.equal(goStringSlice([]), "[]");
    assert.equal(goStringSlice(["a", "b"]), "[a b]");
    assert.equal(enumName({ NONE: 0, NOSPACE: 1 }, 1), "NOSPACE");
    assert.equal(enumName({ NONE: 0 }, 7), "7");
    assert.equal(formatMemberId(0x3fn), "000000000000003f");
    assert.equal(formatMemberId(0xffffffffffffffffn), "ffffffffffffffff");
  });
});

describe("columnize", () => {
  it("trims fields, pads every column but the last, glues with two spaces", () => {
    assert.equal(
      columnize(["NODE | PID | COMMAND", "    10.5.0.2 |      1 | /sbin/init", "10.5.0.2 | 1234 | "]),
      "NODE      PID   COMMAND\n10.5.0.2  1     /sbin/init\n10.5.0.2  1234  ",
    );
  });
});
