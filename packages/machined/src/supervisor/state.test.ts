import assert from "node:assert/strict";
import { test } from "node:test";
import { inState, ServiceState, serviceStateName } from "./state.ts";

test("states carry Talos's numbers and names (machine.ServiceStateEvent.Action)", () => {
  const expected: [string, number][] = [
    ["Initialized", 0],
    ["Preparing", 1],
    ["Waiting", 2],
    ["Running", 3],
    ["Stopping", 4],
    ["Finished", 5],
    ["Failed", 6],
    ["Skipped", 7],
    ["Starting", 8],
  ];
  assert.deepEqual(Object.entries(ServiceState), expected);
  for (const [name, value] of expected) assert.equal(serviceStateName(value as ServiceState), name);
  assert.equal(serviceStateName(42 as ServiceState), "Unknown");
});

test("derived conditions up, down and finished", () => {
  const noCheck = { checked: false, healthy: undefined };
  const healthy = { checked: true, healthy: true };
  const unknown = { checked: true, healthy: undefined };
  const sick = { checked: true, healthy: false };
  assert.ok(inState("up", ServiceState.Running, noCheck));
  assert.ok(inState("up", ServiceState.Running, healthy));
  assert.ok(!inState("up", ServiceState.Running, unknown));
  assert.ok(!inState("up", ServiceState.Running, sick));
  assert.ok(inState("up", ServiceState.Finished, sick));
  assert.ok(inState("up", ServiceState.Skipped, noCheck));
  assert.ok(!inState("up", ServiceState.Waiting, noCheck));
  for (const s of [ServiceState.Failed, ServiceState.Finished, ServiceState.Skipped])
    assert.ok(inState("down", s, noCheck));
  for (const s of [ServiceState.Initialized, ServiceState.Running, ServiceState.Stopping]) {
    assert.ok(!inState("down", s, noCheck));
  }
  assert.ok(inState("finished", ServiceState.Finished, noCheck));
  assert.ok(!inState("finished", ServiceState.Failed, noCheck));
});
