import assert from "node:assert/strict";
import { test } from "node:test";
import { isStreamingMethod, route } from "./director.ts";

const cp = { canForward: true, isLocal: (t: string) => t === "10.5.0.2" };
const worker = { canForward: false, isLocal: (t: string) => t === "10.5.0.3" || t === "worker-1" };
const V = "/machine.MachineService/Version";

test("calls without node metadata, or forwarded by another apid, are served locally", () => {
  assert.deepEqual(route(V, {}, cp), { kind: "local" });
  assert.deepEqual(route(V, { node: ["10.5.0.9"], proxyfrom: true }, cp), { kind: "local" });
});

test("node is one-to-one, nodes is one-to-many, COSI is never fanned out", () => {
  assert.deepEqual(route(V, { node: ["10.5.0.2"] }, cp), { kind: "one", target: "10.5.0.2" });
  assert.deepEqual(route(V, { nodes: ["a", "b"] }, cp), { kind: "many", targets: ["a", "b"] });
  assert.equal(route("/cosi.resource.State/List", { nodes: ["a"] }, cp).kind, "error");
  assert.deepEqual(route(V, { node: ["a", "b"] }, cp), {
    kind: "error",
    code: 3,
    message: "node metadata must be single-valued",
  });
  assert.equal(route(V, { node: ["1.2.3.4:50000"] }, cp).kind, "error");
  assert.deepEqual(route(V, { node: ["::1"] }, cp), { kind: "one", target: "::1" });
});

test("a node without a client certificate serves only itself", () => {
  assert.deepEqual(route(V, { node: ["worker-1"] }, worker), { kind: "local" });
  assert.deepEqual(route(V, { nodes: ["10.5.0.3"] }, worker), { kind: "local" });
  assert.deepEqual(route(V, { node: ["10.5.0.2"] }, worker), {
    kind: "error",
    code: 7,
    message: "no request forwarding",
  });
});

test("streaming methods", () => {
  assert.ok(isStreamingMethod("/machine.MachineService/Logs"));
  assert.ok(isStreamingMethod("/machine.MachineService/FooStream"));
  assert.ok(!isStreamingMethod(V));
});
