// The discovery service over real gRPC on a loopback port, as nodes use it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, type ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { discovery } from "@talos/machinery/api";
import { type DiscoveryServer, startDiscoveryServer } from "./server.ts";

describe("discovery service over gRPC", () => {
  let server: DiscoveryServer;
  let client: ReturnType<typeof createClient<typeof discovery.server.Cluster>>;

  before(async () => {
    server = await startDiscoveryServer({ host: "127.0.0.1", port: 0, gcIntervalMs: 50 });
    client = createClient(
      discovery.server.Cluster,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.address.port}` }),
    );
  });
  after(() => server.close());

  test("Hello reports the caller's address", async () => {
    const res = await client.hello({ clusterId: "c", clientVersion: "v1.6.7" });
    assert.deepEqual([...res.clientIp], [127, 0, 0, 1]);
    assert.equal(res.redirect, undefined);
    await assert.rejects(client.hello({ clusterId: "" }), (e: ConnectError) => e.code === Code.InvalidArgument);
  });

  test("Watch sends a snapshot, then updates, and a deletion when the TTL passes", async () => {
    const ac = new AbortController();
    await client.affiliateUpdate({
      clusterId: "w",
      affiliateId: "first",
      affiliateData: Uint8Array.of(1, 2, 3),
      affiliateEndpoints: [Uint8Array.of(9)],
      ttl: { seconds: 60n },
    });
    const stream = client.watch({ clusterId: "w" }, { signal: ac.signal })[Symbol.asyncIterator]();
    const snapshot = (await stream.next()).value as discovery.server.WatchResponse;
    assert.deepEqual(
      snapshot.affiliates.map((a) => [a.id, [...a.data], a.endpoints.map((e) => [...e])]),
      [["first", [1, 2, 3], [[9]]]],
    );
    await client.affiliateUpdate({
      clusterId: "w",
      affiliateId: "short",
      affiliateData: Uint8Array.of(7),
      ttl: { nanos: 200_000_000 },
    });
    const update = (await stream.next()).value as discovery.server.WatchResponse;
    assert.equal(update.deleted, false);
    assert.equal(update.affiliates[0]?.id, "short");
    const expired = (await stream.next()).value as discovery.server.WatchResponse;
    assert.equal(expired.deleted, true);
    assert.equal(expired.affiliates[0]?.id, "short");
    const list = await client.list({ clusterId: "w" });
    assert.deepEqual(
      list.affiliates.map((a) => a.id),
      ["first"],
    );
    await client.affiliateDelete({ clusterId: "w", affiliateId: "first" });
    const deleted = (await stream.next()).value as discovery.server.WatchResponse;
    assert.equal(deleted.deleted, true);
    ac.abort();
    await stream.next().catch(() => undefined);
  });

  test("limits answer InvalidArgument naming the problem", async () => {
    await assert.rejects(
      client.affiliateUpdate({ clusterId: "c", affiliateId: "a", ttl: { seconds: 3600n } }),
      (e: ConnectError) => e.code === Code.InvalidArgument && /ttl is longer than 30 minutes/.test(e.rawMessage),
    );
  });
});
