import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodePem, decodePemBlocks, encodePem, PEM_LABEL } from "./pem.ts";
import { PkiError } from "./pki-error.ts";

describe("PEM", () => {
  const der = new Uint8Array(Array.from({ length: 100 }, (_, i) => i));

  it("encodes like Go's pem.EncodeToMemory: 64-column lines and a trailing newline", () => {
    const pem = encodePem("CERTIFICATE", der);
    const lines = pem.split("\n");
    assert.equal(lines[0], "-----BEGIN CERTIFICATE-----");
    assert.equal(lines[1]?.length, 64);
    assert.equal(lines.at(-2), "-----END CERTIFICATE-----");
    assert.equal(lines.at(-1), "");
  });

  it("round-trips every block and ignores surrounding text", () => {
    const text = `junk\n${encodePem(PEM_LABEL.ed25519PrivateKey, der)}between\n${encodePem("CERTIFICATE", der.slice(1))}`;
    const blocks = decodePemBlocks(text);
    assert.deepEqual(
      blocks.map((b) => b.label),
      ["ED25519 PRIVATE KEY", "CERTIFICATE"],
    );
    assert.deepEqual(blocks[0]?.der, der);
    assert.deepEqual(blocks[1]?.der, der.slice(1));
  });

  it("accepts CRLF line endings", () => {
    const pem = encodePem("CERTIFICATE", der).replaceAll("\n", "\r\n");
    assert.deepEqual(decodePem(pem, "crt").der, der);
  });

  it("checks the block type", () => {
    assert.throws(
      () => decodePem(encodePem("EC PRIVATE KEY", der), "CA certificate", ["CERTIFICATE"]),
      (e: unknown) =>
        e instanceof PkiError &&
        e.message === 'CA certificate: unexpected PEM type "EC PRIVATE KEY", expected "CERTIFICATE"' &&
        e.what === "CA certificate",
    );
  });

  it("rejects missing blocks, hinting at base64 that was not decoded", () => {
    assert.throws(() => decodePem("hello", "key"), { message: "key: no PEM block found" });
    const b64 = Buffer.from(encodePem("CERTIFICATE", der)).toString("base64");
    assert.throws(() => decodePem(b64, "crt"), { message: "crt: no PEM block found (still base64-encoded?)" });
  });

  it("rejects headers, mismatched END lines and bad bodies", () => {
    const enc = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
    assert.throws(() => decodePemBlocks(enc, "key"), /has headers \(encrypted keys are not supported\)/);
    assert.throws(() => decodePemBlocks("-----BEGIN A-----\nAAAA\n-----END B-----\n"), /ends with "B"/);
    assert.throws(() => decodePemBlocks("-----BEGIN A-----\nAA*A\n-----END A-----\n"), /invalid base64 body/);
    assert.throws(() => decodePemBlocks("-----BEGIN A-----\nAAA\n-----END A-----\n"), /invalid base64 body/);
  });
});
