import assert from "node:assert/strict";
import { test } from "node:test";
import { gatewayOf, nodeAddress, parseCidr } from "./network.ts";

test("Talos's address plan: gateway .1, nodes from .2", () => {
  const net = parseCidr("10.5.0.0/24");
  assert.equal(gatewayOf(net), "10.5.0.1");
  assert.equal(nodeAddress(net, 0), "10.5.0.2");
  assert.equal(nodeAddress(net, 1), "10.5.0.3");
  assert.equal(parseCidr("10.5.0.7/24").cidr, "10.5.0.0/24");
  assert.throws(() => parseCidr("10.5.0.0"), /--cidr: invalid IPv4 CIDR/);
  assert.throws(() => nodeAddress(parseCidr("10.5.0.0/30"), 1), /too small/);
});
