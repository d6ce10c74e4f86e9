import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ClusterRequest } from "./provisioner.ts";
import { validateClusterRequest } from "./validate.ts";

const good: ClusterRequest = {
  name: "talos-default",
  cidr: "10.5.0.0/24",
  mtu: 1500,
  image: "ghcr.io/siderolabs/talos:v1.6.7",
  nodes: [
    { name: "talos-default-controlplane-1", type: "controlplane", ip: "10.5.0.2" },
    { name: "talos-default-worker-1", type: "worker", ip: "10.5.0.3" },
  ],
};

describe("validateClusterRequest", () => {
  it("accepts a Talos-default request and returns its network", () => {
    assert.equal(validateClusterRequest(good).cidr, "10.5.0.0/24");
  });

  it("reports every problem at once, naming cluster and node", () => {
    const req: ClusterRequest = {
      ...good,
      mtu: 10,
      nodes: [
        { name: "a", type: "controlplane", ip: "10.5.0.1" },
        { name: "a", type: "worker", ip: "10.5.1.3" },
        { name: "b/c", type: "init" as never, ip: "10.5.0.255" },
        {
          name: "d",
          type: "worker",
          ip: "10.5.0.9",
          memoryBytes: -1,
          ports: [{ host: 0, container: 1, protocol: "tcp" }],
        },
        { name: "e", type: "worker", ip: "10.5.0.9" },
      ],
    };
    assert.throws(
      () => validateClusterRequest(req),
      (err: Error) => {
        assert.match(err.message, /^invalid request for cluster "talos-default":/);
        for (const part of [
          "mtu 10 is out of range",
          'node "a": 10.5.0.1 is the gateway of 10.5.0.0/24',
          'node "a": name is used twice',
          'node "a": 10.5.1.3 is outside 10.5.0.0/24',
          'node "b/c": name is not valid',
          'node "b/c": type "init" is not "controlplane" or "worker"',
          'node "b/c": 10.5.0.255 is the broadcast address',
          'node "d": memoryBytes -1 is not a positive integer',
          'node "d": port 0:1/tcp is not valid',
          'node "e": 10.5.0.9 is also the address of node "d"',
        ]) {
          assert.ok(err.message.includes(part), `missing: ${part}\n${err.message}`);
        }
        return true;
      },
    );
  });

  it("rejects an empty request", () => {
    assert.throws(
      () => validateClusterRequest({ name: "", cidr: "x", mtu: 1500, image: "", nodes: [] }),
      /cluster name "" is not valid[\s\S]*invalid CIDR "x"[\s\S]*no image given[\s\S]*no nodes requested/,
    );
  });
});
