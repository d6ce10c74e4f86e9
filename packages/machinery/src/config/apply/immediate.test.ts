import assert from "node:assert/strict";
import { test } from "node:test";
import type { MachineConfig } from "../document.ts";
import { changedPaths, changesNeedingReboot } from "./immediate.ts";

const config = (value: Record<string, unknown>): MachineConfig => ({
  documents: [{ kind: "v1alpha1", apiVersion: undefined, name: undefined, value }],
});

test("hostname, certSANs and cluster changes apply live; type and CA changes need a reboot", () => {
  const base = { machine: { type: "controlplane", network: {}, features: { rbac: true } }, cluster: {} };
  const live = {
    machine: { type: "controlplane", network: { hostname: "x" }, features: { rbac: true } },
    cluster: { a: 1 },
  };
  assert.deepEqual(changesNeedingReboot(config(base), config(live)), []);
  const reboot = { machine: { type: "worker", network: {}, features: { rbac: false } }, cluster: {} };
  assert.deepEqual(changesNeedingReboot(config(base), config(reboot)), ["machine.type", "machine.features.rbac"]);
});

test("changedPaths", () => {
  assert.deepEqual(changedPaths({ a: { b: 1, c: [1] } }, { a: { b: 1, c: [2] }, d: 1 }, ""), ["a.c", "d"]);
});
