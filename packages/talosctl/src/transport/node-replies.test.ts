import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { MetadataSchema } from "@talos/machinery/api";
import {
  callNodes,
  callNodesOrFail,
  endpointHost,
  failIfMultiNodes,
  metadataErrorText,
  replyNode,
  requireNodes,
  splitReplies,
} from "./node-replies.ts";
import type { TalosConnection } from "./talos-client.ts";
import { compareSemver, formatSemver, parseSemverTolerant } from "./version-check.ts";

const conn = (endpoints: string[], nodes: string[] = []) => ({ endpoints, nodes }) as unknown as TalosConnection;

describe("multi-node replies", () => {
  const good = { metadata: create(MetadataSchema, { hostname: "10.5.0.2" }), value: 1 };
  const bad = {
    metadata: create(MetadataSchema, {
      hostname: "10.5.0.3",
      error: "rpc error: code = Unavailable desc = down",
      status: { code: 14, message: "down" },
    }),
    value: 0,
  };
  const plainError = { metadata: create(MetadataSchema, { hostname: "10.5.0.4", error: "plain text" }), value: 0 };

  it("splits good elements from node errors, preferring the gRPC status", () => {
    const { ok, errors } = splitReplies([good, bad, plainError]);
    assert.deepEqual(ok, [good]);
    assert.deepEqual(errors, [
      { node: "10.5.0.3", error: "rpc error: code = Unavailable desc = down" },
      { node: "10.5.0.4", error: "plain text" },
    ]);
    assert.equal(metadataErrorText(bad.metadata), "rpc error: code = Unavailable desc = down");
  });

  it("fails with `<what>: <multierror>` when every node failed, else returns what succeeded", async () => {
    await assert.rejects(
      callNodes("error listing services", async () => ({ messages: [bad] })),
      {
        message: "error listing services: 1 error occurred:\n\t* 10.5.0.3: rpc error: code = Unavailable desc = down",
      },
    );
    const r = await callNodes("x", async () => ({ messages: [good, bad] }));
    assert.deepEqual(r.ok, [good]);
    assert.equal(r.errors.length, 1);
    await assert.rejects(
      callNodesOrFail("error executing reboot", async () => ({ messages: [good, bad] })),
      {
        message: "error executing reboot: 1 error occurred:\n\t* 10.5.0.3: rpc error: code = Unavailable desc = down",
      },
    );
  });

  it("names nodes: the hostname, else the endpoint's host", () => {
    assert.equal(replyNode(good, "fallback"), "10.5.0.2");
    assert.equal(replyNode({}, "fallback"), "fallback");
    assert.equal(endpointHost(conn(["10.5.0.2:50000"])), "10.5.0.2");
    assert.equal(endpointHost(conn(["[fd00::2]:50000"])), "fd00::2");
    assert.equal(endpointHost(conn(["https://cp.example:443"])), "cp.example");
  });

  it("requires nodes and refuses several where Talos does", () => {
    assert.throws(() => requireNodes(conn(["a"])), /^CliError: nodes are not set for the command/);
    assert.deepEqual(requireNodes(conn(["a"], ["n1"])), ["n1"]);
    assert.throws(() => failIfMultiNodes(["a", "b"], "etcd snapshot"), {
      message: 'command "etcd snapshot" is not supported with multiple nodes',
    });
    failIfMultiNodes(["a"], "etcd snapshot");
  });
});

describe("semver (client version check)", () => {
  it("parses tolerantly and orders pre-releases first", () => {
    const v = (s: string) => {
      const p = parseSemverTolerant(s);
      assert.ok(p, s);
      return p;
    };
    assert.equal(formatSemver(v("v1.6")), "1.6.0");
    assert.equal(formatSemver(v(" v1.6.0-alpha.2 ")), "1.6.0-alpha.2");
    assert.equal(parseSemverTolerant("latest"), undefined);
    assert.equal(compareSemver(v("v1.5.3"), v("v1.6.7")), -1);
    assert.equal(compareSemver(v("v1.6.7"), v("1.6.7")), 0);
    assert.equal(compareSemver(v("v1.6.0-alpha.2"), v("v1.6.0")), -1);
    assert.equal(compareSemver(v("v1.6.0-alpha.10"), v("v1.6.0-alpha.2")), 1);
    assert.equal(compareSemver(v("v1.7.0"), v("v1.6.7")), 1);
  });
});
