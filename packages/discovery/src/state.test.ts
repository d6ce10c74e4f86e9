import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type AffiliateChange, type AffiliateUpdate, DiscoveryLimitError, DiscoveryState } from "./state.ts";

const bytes = (s: string) => new Uint8Array(Buffer.from(s));

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("DiscoveryState", () => {
  test("stores, replaces data, merges endpoints and keeps data when an update has none", () => {
    const c = clock();
    const s = new DiscoveryState(c.now);
    s.update({ clusterId: "c1", affiliateId: "a", data: bytes("one"), endpoints: [bytes("e1")], ttlMs: 1000 });
    s.update({ clusterId: "c1", affiliateId: "a", endpoints: [bytes("e2"), bytes("e1")], ttlMs: 1000 });
    s.update({ clusterId: "c2", affiliateId: "b", data: bytes("other"), endpoints: [], ttlMs: 1000 });
    const [a] = s.list("c1");
    assert.equal(Buffer.from(a!.data).toString(), "one");
    assert.deepEqual(a!.endpoints.map((e) => Buffer.from(e).toString()).sort(), ["e1", "e2"]);
    s.update({ clusterId: "c1", affiliateId: "a", data: bytes("two"), endpoints: [], ttlMs: 1000 });
    assert.equal(Buffer.from(s.list("c1")[0]!.data).toString(), "two");
    assert.deepEqual(
      s.list("c2").map((x) => x.id),
      ["b"],
      "clusters are separate",
    );
  });

  test("expires affiliates after their TTL unless refreshed, and endpoints on their own TTL", () => {
    const c = clock();
    const s = new DiscoveryState(c.now);
    s.update({ clusterId: "c", affiliateId: "a", data: bytes("x"), endpoints: [bytes("old")], ttlMs: 1000 });
    s.update({ clusterId: "c", affiliateId: "b", data: bytes("y"), endpoints: [], ttlMs: 1000 });
    c.advance(600);
    s.update({ clusterId: "c", affiliateId: "a", endpoints: [bytes("new")], ttlMs: 1000 });
    c.advance(500);
    assert.equal(s.collectGarbage(), 1);
    const [a] = s.list("c");
    assert.equal(a!.id, "a");
    assert.deepEqual(
      a!.endpoints.map((e) => Buffer.from(e).toString()),
      ["new"],
    );
    c.advance(1000);
    s.collectGarbage();
    assert.deepEqual(s.list("c"), []);
    assert.deepEqual(s.stats(), { clusters: 0, affiliates: 0, watchers: 0 });
  });

  test("watchers get a snapshot, then updates, deletes and expiries", () => {
    const c = clock();
    const s = new DiscoveryState(c.now);
    s.update({ clusterId: "c", affiliateId: "a", data: bytes("x"), endpoints: [], ttlMs: 1000 });
    const seen: AffiliateChange[] = [];
    const w = s.watch("c", (ch) => seen.push(ch));
    assert.deepEqual(
      w.snapshot.map((a) => a.id),
      ["a"],
    );
    s.update({ clusterId: "c", affiliateId: "b", data: bytes("y"), endpoints: [], ttlMs: 5000 });
    s.update({ clusterId: "c", affiliateId: "b", data: bytes("y"), endpoints: [], ttlMs: 5000 });
    s.update({ clusterId: "other", affiliateId: "z", data: bytes("z"), endpoints: [], ttlMs: 5000 });
    s.delete("c", "b");
    c.advance(2000);
    s.collectGarbage();
    assert.deepEqual(
      seen.map((ch) => (ch.kind === "update" ? `update ${ch.affiliate.id}` : `delete ${ch.id}`)),
      ["update b", "delete b", "delete a"],
      "an unchanged refresh is not an event; other clusters are not seen",
    );
    w.stop();
    assert.equal(s.stats().watchers, 0);
  });

  test("refuses bad IDs, TTLs and sizes", () => {
    const s = new DiscoveryState();
    const ok: AffiliateUpdate = { clusterId: "c", affiliateId: "a", endpoints: [], ttlMs: 1000 };
    const refused = (req: Partial<AffiliateUpdate>, re: RegExp) =>
      assert.throws(
        () => s.update({ ...ok, ...req }),
        (e: unknown) => e instanceof DiscoveryLimitError && re.test(e.message),
      );
    refused({ clusterId: "" }, /cluster ID is empty/);
    refused({ affiliateId: "x".repeat(300) }, /affiliate ID is longer than 256 bytes/);
    refused({ ttlMs: 0 }, /ttl must be positive/);
    refused({ ttlMs: 31 * 60_000 }, /ttl is longer than 30 minutes/);
    refused({ data: new Uint8Array(4096) }, /affiliate data is larger than 2048 bytes/);
    refused({ endpoints: [new Uint8Array(64)] }, /endpoint is larger than 32 bytes/);
    const many = Array.from({ length: 65 }, (_, i) => bytes(`e${i}`));
    assert.throws(() => s.update({ ...ok, endpoints: many }), /more than 64 endpoints/);
  });
});
