import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { discoveryKey, openAffiliate, openEndpoint, sealAffiliate, sealEndpoint } from "./cipher.ts";

describe("discovery encryption", () => {
  const key = randomBytes(32);

  test("affiliate data: nonce first, authenticated, random per seal", () => {
    const plain = Buffer.from("affiliate protobuf");
    const a = sealAffiliate(key, plain);
    const b = sealAffiliate(key, plain);
    assert.equal(a.length, 12 + plain.length + 16);
    assert.notDeepEqual(a, b);
    assert.deepEqual(Buffer.from(openAffiliate(key, a)!), plain);
    const tampered = Buffer.from(a);
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    assert.equal(openAffiliate(key, tampered), undefined);
    assert.equal(openAffiliate(randomBytes(32), a), undefined, "another cluster's key");
    assert.equal(openAffiliate(key, a.subarray(0, 10)), undefined);
  });

  test("endpoints: deterministic whole blocks with a length byte", () => {
    const plain = Buffer.from([0x0a, 0x04, 10, 5, 0, 2, 0x10, 0xca, 0x19]);
    const a = sealEndpoint(key, plain);
    assert.equal(a.length, 16);
    assert.deepEqual(sealEndpoint(key, plain), a);
    assert.deepEqual(Buffer.from(openEndpoint(key, a)!), plain);
    assert.equal(sealEndpoint(key, Buffer.alloc(15)).length, 16);
    assert.equal(sealEndpoint(key, Buffer.alloc(16)).length, 32);
    assert.equal(openEndpoint(key, Buffer.alloc(5)), undefined);
  });

  test("the key is cluster.secret, 32 bytes", () => {
    assert.equal(discoveryKey(randomBytes(32).toString("base64")).length, 32);
    assert.throws(() => discoveryKey("c2hvcnQ="), /cluster\.secret: expected 32 bytes .* got 5/);
  });
});
