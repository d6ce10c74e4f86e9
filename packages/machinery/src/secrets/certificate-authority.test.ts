import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { describe, it } from "node:test";
import { createCertificateAuthority, loadCertificateAuthority } from "./certificate-authority.ts";
import { inspectCertificate, verifyCertificate } from "./inspect-certificate.ts";
import { decodePem } from "./pem.ts";
import { PkiError } from "./pki-error.ts";
import { encodePrivateKeyPem, generatePrivateKey } from "./private-key.ts";
import { x509 } from "./x509.ts";

const TEN_YEARS = 87600 * 3600 * 1000;

describe("createCertificateAuthority", () => {
  it("makes a Talos-style self-signed Ed25519 CA by default", async () => {
    const now = new Date("2024-03-01T10:20:30.456Z");
    const ca = await createCertificateAuthority({ organization: ["talos"], lifetimeMs: TEN_YEARS, notBefore: now });
    const info = inspectCertificate(ca.crt);
    assert.deepEqual(info.subject.organization, ["talos"]);
    assert.equal(info.subject.commonName, undefined);
    assert.deepEqual(info.issuer, info.subject);
    assert.equal(info.isCA, true);
    assert.deepEqual(info.keyUsage, ["digitalSignature", "certSign"]);
    assert.deepEqual(info.extKeyUsage, ["serverAuth", "clientAuth"]);
    assert.equal(info.publicKeyAlgorithm, "ed25519");
    assert.equal(info.signatureAlgorithm, "Ed25519");
    // NotBefore is the generation time (whole seconds), NotAfter 87600 h later.
    assert.equal(info.notBefore.toISOString(), "2024-03-01T10:20:30.000Z");
    assert.equal(info.notAfter.getTime() - info.notBefore.getTime(), TEN_YEARS);
    assert.equal(decodePem(ca.key, "key").label, "ED25519 PRIVATE KEY");
    assert.ok(verifyCertificate(ca.crt, ca.crt));
  });

  it("lays out extensions as Go does: KU (critical), EKU, BasicConstraints (critical), SKI = SHA-1 of the key", async () => {
    const ca = await createCertificateAuthority({ organization: ["talos"], lifetimeMs: TEN_YEARS });
    const cert = new x509.X509Certificate(decodePem(ca.crt, "crt").der);
    assert.deepEqual(
      Array.from(cert.extensions, (e) => [e.type, e.critical]),
      [
        ["2.5.29.15", true],
        ["2.5.29.37", false],
        ["2.5.29.19", true],
        ["2.5.29.14", false],
      ],
    );
    const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
    const expected = Buffer.from(await cert.publicKey.getKeyIdentifier()).toString("hex");
    assert.equal(ski?.keyId, expected);
    const bc = cert.getExtension(x509.BasicConstraintsExtension);
    assert.equal(bc?.pathLength, undefined);
  });

  it("uses random positive serials of up to 128 bits", async () => {
    const serials = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const ca = await createCertificateAuthority({ organization: ["x"], lifetimeMs: 1000 });
      const serial = inspectCertificate(ca.crt).serialNumber;
      assert.match(serial, /^[0-9a-f]{1,32}$/);
      serials.add(serial);
      assert.ok(BigInt(`0x${new X509Certificate(ca.crt).serialNumber}`) < 2n ** 128n);
    }
    assert.equal(serials.size, 4);
  });

  it("makes ECDSA P-256 CAs signed with SHA-256, or SHA-512 when asked (old contracts)", async () => {
    const ca = await createCertificateAuthority({
      keyAlgorithm: "ecdsa",
      organization: ["kubernetes"],
      lifetimeMs: TEN_YEARS,
    });
    const info = inspectCertificate(ca.crt);
    assert.equal(info.publicKeyAlgorithm, "ecdsa");
    assert.equal(info.curve, "P-256");
    assert.equal(info.signatureAlgorithm, "ECDSA-SHA256");
    assert.equal(decodePem(ca.key, "key").label, "EC PRIVATE KEY");
    const old = await createCertificateAuthority({ keyAlgorithm: "ecdsa", hash: "SHA-512", lifetimeMs: TEN_YEARS });
    assert.equal(inspectCertificate(old.crt).signatureAlgorithm, "ECDSA-SHA512");
    assert.ok(verifyCertificate(old.crt, old.crt));
  });

  it("makes RSA CAs signed with SHA-512, as Talos does", async () => {
    const ca = await createCertificateAuthority({
      keyAlgorithm: "rsa",
      rsaBits: 2048,
      organization: ["etcd"],
      lifetimeMs: TEN_YEARS,
    });
    const info = inspectCertificate(ca.crt);
    assert.equal(info.publicKeyAlgorithm, "rsa");
    assert.equal(info.signatureAlgorithm, "SHA512-RSA");
    assert.equal(decodePem(ca.key, "key").label, "RSA PRIVATE KEY");
    assert.ok(verifyCertificate(ca.crt, ca.crt));
  });

  it("supports an empty subject, a CommonName and SANs", async () => {
    const empty = await createCertificateAuthority({ keyAlgorithm: "ecdsa", lifetimeMs: TEN_YEARS });
    assert.equal(inspectCertificate(empty.crt).subject.text, "");
    assert.ok(verifyCertificate(empty.crt, empty.crt));
    const named = await createCertificateAuthority({
      organization: ["node"],
      commonName: "front-proxy",
      ipAddresses: ["10.0.0.1"],
      lifetimeMs: 3600_000,
    });
    const info = inspectCertificate(named.crt);
    assert.equal(info.subject.commonName, "front-proxy");
    assert.equal(info.subject.text, "O=node, CN=front-proxy");
    assert.deepEqual(info.ipAddresses, ["10.0.0.1"]);
  });
});

describe("loadCertificateAuthority", () => {
  it("loads a CA and checks that the key belongs to the certificate", async () => {
    const ca = await createCertificateAuthority({ organization: ["talos"], lifetimeMs: TEN_YEARS });
    const loaded = loadCertificateAuthority({ crt: ca.crt, key: ca.key });
    assert.equal(loaded.privateKey.algorithm, "ed25519");
    const other = encodePrivateKeyPem(await generatePrivateKey("ed25519"));
    assert.throws(
      () => loadCertificateAuthority({ crt: ca.crt, key: other }, "OS CA"),
      (e: unknown) => e instanceof PkiError && e.message === "OS CA: the private key does not match the certificate",
    );
    assert.throws(
      () => loadCertificateAuthority({ crt: ca.key, key: ca.key }, "OS CA"),
      /OS CA certificate: unexpected PEM type/,
    );
  });
});
