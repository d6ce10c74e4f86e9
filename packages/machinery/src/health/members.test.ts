import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { nodesFromMembers } from "./members.ts";

describe("nodesFromMembers", () => {
  test("splits control planes (init counts) from workers by their first address", () => {
    assert.deepEqual(
      nodesFromMembers([
        { machineType: "worker", addresses: ["10.5.0.4", "fd00::4"] },
        { machineType: "controlplane", addresses: ["10.5.0.3"] },
        { machineType: "init", addresses: ["10.5.0.2"] },
        { machineType: "worker", addresses: [] },
      ]),
      { controlPlanes: ["10.5.0.2", "10.5.0.3"], workers: ["10.5.0.4"] },
    );
  });

  test("no control plane known: undefined, so the caller falls back", () => {
    assert.equal(nodesFromMembers([{ machineType: "worker", addresses: ["10.5.0.4"] }]), undefined);
    assert.equal(nodesFromMembers([]), undefined);
  });
});
