import assert from "node:assert/strict";
import { test } from "node:test";
import { dependencyEdges, readersOf, writersOf } from "./dependency-graph.ts";

test("edges list outputs and inputs per controller; readers and writers by type", () => {
  const edges = dependencyEdges([
    {
      name: "a.Ctrl",
      inputs: [{ namespace: "config", type: "MachineConfigs.config.talos.dev", id: "v1alpha1", kind: "weak" }],
      outputs: [{ type: "Things.test.dev", kind: "exclusive" }],
    },
    {
      name: "b.Ctrl",
      inputs: [
        { namespace: "ns", type: "Things.test.dev", kind: "strong" },
        { namespace: "ns", type: "Others.test.dev", kind: "destroyReady" },
      ],
      outputs: [{ type: "Others.test.dev", kind: "shared" }],
    },
  ]);
  assert.deepEqual(edges, [
    { controller: "a.Ctrl", kind: "outputExclusive", type: "Things.test.dev" },
    {
      controller: "a.Ctrl",
      kind: "inputWeak",
      type: "MachineConfigs.config.talos.dev",
      namespace: "config",
      id: "v1alpha1",
    },
    { controller: "b.Ctrl", kind: "outputShared", type: "Others.test.dev" },
    { controller: "b.Ctrl", kind: "inputStrong", type: "Things.test.dev", namespace: "ns" },
    { controller: "b.Ctrl", kind: "inputDestroyReady", type: "Others.test.dev", namespace: "ns" },
  ]);
  assert.deepEqual(writersOf(edges, "Things.test.dev"), ["a.Ctrl"]);
  assert.deepEqual(readersOf(edges, "Things.test.dev"), ["b.Ctrl"]);
  assert.deepEqual(readersOf(edges, "Nothing.test.dev"), []);
});
