import assert from "node:assert/strict";
import { createPrivateKey, sign, verify } from "node:crypto";
import { describe, it } from "node:test";
import { decodePem, encodePem, PEM_LABEL } from "./pem.ts";
import {
  decodePrivateKeyPem,
  decodePublicKeyPem,
  encodePrivateKeyPem,
  encodePublicKeyPem,
  generatePrivateKey,
  privateKeyPkcs8,
  publicKeySpki,
} from "./private-key.ts";

describe("private keys", () => {
  it("generates Ed25519 and stores it as PKCS#8 under Talos's ED25519 PRIVATE KEY label", async () => {
    const key = await generatePrivateKey("ed25519");
    assert.equal(key.keyObject.asymmetricKeyType, "ed25519");
    const pem = encodePrivateKeyPem(key);
    const block = decodePem(pem, "key");
    assert.equal(block.label, "ED25519 PRIVATE KEY");
    // PKCS#8 v1 of an Ed25519 seed is always 48 bytes (what Go's MarshalPKCS8PrivateKey writes).
    assert.equal(block.der.length, 48);
    assert.deepEqual(block.der, privateKeyPkcs8(key));
    // Node itself refuses the Talos label: decoding has to relabel.
    assert.throws(() => createPrivateKey(pem));
    const back = decodePrivateKeyPem(pem);
    assert.equal(back.algorithm, "ed25519");
    assert.deepEqual(publicKeySpki(back), publicKeySpki(key));
  });

  it("generates ECDSA P-256 and stores it as SEC1 EC PRIVATE KEY", async () => {
    const key = await generatePrivateKey("ecdsa");
    assert.equal(key.curve, "P-256");
    const pem = encodePrivateKeyPem(key);
    assert.match(pem, /^-----BEGIN EC PRIVATE KEY-----\n/);
    const back = decodePrivateKeyPem(pem);
    assert.equal(back.algorithm, "ecdsa");
    assert.equal(back.curve, "P-256");
    assert.deepEqual(publicKeySpki(back), publicKeySpki(key));
  });

  it("generates RSA (configurable size) and stores it as PKCS#1 RSA PRIVATE KEY", async () => {
    const key = await generatePrivateKey("rsa", { rsaBits: 2048 });
    assert.equal(key.keyObject.asymmetricKeyDetails?.modulusLength, 2048);
    const pem = encodePrivateKeyPem(key);
    assert.match(pem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.equal(decodePrivateKeyPem(pem).algorithm, "rsa");
  });

  it("accepts standard PKCS#8 PRIVATE KEY for every type", async () => {
    for (const alg of ["ed25519", "ecdsa"] as const) {
      const key = await generatePrivateKey(alg);
      const pem = encodePem(PEM_LABEL.privateKey, privateKeyPkcs8(key));
      const back = decodePrivateKeyPem(pem);
      assert.equal(back.algorithm, alg);
      const data = Buffer.from("hello");
      const sig = sign(alg === "ed25519" ? null : "sha256", data, back.keyObject);
      assert.ok(verify(alg === "ed25519" ? null : "sha256", data, key.keyObject, sig));
    }
  });

  it("accepts other NIST curves when loading existing keys", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
    const key = decodePrivateKeyPem(privateKey.export({ type: "sec1", format: "pem" }) as string);
    assert.equal(key.curve, "P-384");
  });

  it("rejects unsupported labels, mismatched contents and garbage", async () => {
    const ec = await generatePrivateKey("ecdsa");
    const mislabelled = encodePem(PEM_LABEL.ed25519PrivateKey, privateKeyPkcs8(ec));
    assert.throws(() => decodePrivateKeyPem(mislabelled, "CA key"), {
      message: 'CA key: PEM type "ED25519 PRIVATE KEY" holds a ecdsa key',
    });
    assert.throws(
      () => decodePrivateKeyPem(encodePem("CERTIFICATE", new Uint8Array(4)), "CA key"),
      /unexpected PEM type "CERTIFICATE"/,
    );
    assert.throws(
      () => decodePrivateKeyPem(encodePem("EC PRIVATE KEY", new Uint8Array(8)), "CA key"),
      /CA key: cannot parse EC PRIVATE KEY/,
    );
  });

  it("writes public keys with Talos's labels and reads them back", async () => {
    for (const [alg, label] of [
      ["ed25519", "ED25519 PUBLIC KEY"],
      ["ecdsa", "EC PUBLIC KEY"],
    ] as const) {
      const key = await generatePrivateKey(alg);
      const pem = encodePublicKeyPem(key);
      assert.equal(decodePem(pem, "pub").label, label);
      assert.deepEqual(
        new Uint8Array(decodePublicKeyPem(pem).export({ type: "spki", format: "der" })),
        publicKeySpki(key),
      );
    }
    const rsa = await generatePrivateKey("rsa", { rsaBits: 1024 });
    assert.equal(decodePem(encodePublicKeyPem(rsa), "pub").label, "PUBLIC KEY");
  });
});
