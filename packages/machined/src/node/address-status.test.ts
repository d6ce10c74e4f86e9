import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { nodeAddressStatuses } from "./address-status.ts";

describe("nodeAddressStatuses", () => {
  test("a process node on a loopback alias gets that address on lo", () => {
    const [only, ...rest] = nodeAddressStatuses("127.0.77.9", false);
    assert.deepEqual(rest, []);
    assert.equal(only?.id, "lo/127.0.77.9/8");
    assert.equal(only?.spec.broadcast, "127.255.255.255");
    assert.equal(only?.spec.scope, "host");
    assert.equal(only?.spec.family, "inet4");
  });

  test("a node with its own network lists every link's addresses, loopback included", () => {
    const all = nodeAddressStatuses("unused", true);
    assert.ok(all.some((a) => a.id === "lo/127.0.0.1/8" && a.spec.linkName === "lo" && a.spec.linkIndex === 1));
    assert.deepEqual(
      all.map((a) => a.id),
      [...all.map((a) => a.id)].sort(),
    );
  });
});
