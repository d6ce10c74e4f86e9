import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { type CertificateAuthority, createCertificateAuthority } from "./certificate-authority.ts";
import { createCertificateRequest, parseCertificateRequest, signCertificateRequest } from "./certificate-request.ts";
import { inspectCertificate, verifyCertificate } from "./inspect-certificate.ts";
import { decodePem, encodePem } from "./pem.ts";
import { PkiError } from "./pki-error.ts";
import { generatePrivateKey, publicKeySpki } from "./private-key.ts";
import { x509 } from "./x509.ts";

describe("certificate requests", () => {
  let osCA: CertificateAuthority;
  before(async () => {
    osCA = await createCertificateAuthority({ organization: ["talos"], lifetimeMs: 87600 * 3600 * 1000 });
  });

  it("creates an Ed25519 CSR with CN, Organization and SANs in an extensionRequest", async () => {
    const key = await generatePrivateKey("ed25519");
    const pem = await createCertificateRequest(key, {
      commonName: "worker-1",
      organization: ["os:admin"],
      dnsNames: ["worker-1"],
      ipAddresses: ["10.5.0.3", "fd00::3"],
    });
    assert.equal(decodePem(pem, "csr").label, "CERTIFICATE REQUEST");
    const { csr, info } = await parseCertificateRequest(pem);
    assert.equal(info.subject.commonName, "worker-1");
    assert.deepEqual(info.subject.organization, ["os:admin"]);
    assert.deepEqual(info.dnsNames, ["worker-1"]);
    assert.deepEqual(info.ipAddresses, ["10.5.0.3", "fd00::3"]);
    assert.equal(info.publicKeyAlgorithm, "ed25519");
    assert.deepEqual(new Uint8Array(csr.publicKey.rawData), publicKeySpki(key));
  });

  it("creates ECDSA and RSA CSRs", async () => {
    for (const alg of ["ecdsa", "rsa"] as const) {
      const key = await generatePrivateKey(alg, { rsaBits: 1024 });
      const { info } = await parseCertificateRequest(await createCertificateRequest(key, { commonName: alg }));
      assert.equal(info.publicKeyAlgorithm, alg);
    }
  });

  it("signs a CSR keeping its subject and SANs (siderolabs/crypto defaults: ServerAuth+ClientAuth, 24 h)", async () => {
    const key = await generatePrivateKey("ed25519");
    const csr = await createCertificateRequest(key, {
      commonName: "n1",
      organization: ["os:reader"],
      ipAddresses: ["10.0.0.9"],
    });
    const crt = await signCertificateRequest(osCA, csr);
    const info = inspectCertificate(crt);
    assert.equal(info.subject.commonName, "n1");
    assert.deepEqual(info.subject.organization, ["os:reader"]);
    assert.deepEqual(info.ipAddresses, ["10.0.0.9"]);
    assert.deepEqual(info.extKeyUsage, ["serverAuth", "clientAuth"]);
    assert.deepEqual(info.keyUsage, ["digitalSignature"]);
    assert.equal(info.notAfter.getTime() - info.notBefore.getTime(), 24 * 3600 * 1000);
    assert.deepEqual(
      new Uint8Array(new x509.X509Certificate(decodePem(crt, "c").der).publicKey.rawData),
      publicKeySpki(key),
    );
    assert.ok(verifyCertificate(crt, osCA.crt));
  });

  it("strips Organization like trustd does for worker CSRs", async () => {
    const key = await generatePrivateKey("ed25519");
    const csr = await createCertificateRequest(key, {
      commonName: "worker-1",
      organization: ["os:admin", "os:impersonator"],
      dnsNames: ["worker-1"],
      ipAddresses: ["10.5.0.3"],
    });
    const crt = await signCertificateRequest(osCA, csr, { stripOrganization: true, extKeyUsage: ["serverAuth"] });
    const info = inspectCertificate(crt);
    assert.deepEqual(info.subject.organization, []);
    assert.equal(info.subject.text, "CN=worker-1");
    assert.deepEqual(info.extKeyUsage, ["serverAuth"]);
    assert.deepEqual(info.dnsNames, ["worker-1"]);
  });

  it("refuses a CSR whose signature does not verify", async () => {
    const key = await generatePrivateKey("ed25519");
    const der = decodePem(await createCertificateRequest(key, { commonName: "aaaa" }), "csr").der;
    // Flip a byte of the signature (the last bytes of the DER).
    const tampered = new Uint8Array(der);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0xff;
    await assert.rejects(
      signCertificateRequest(osCA, encodePem("CERTIFICATE REQUEST", tampered)),
      (e: unknown) => e instanceof PkiError && e.message === "certificate request: signature does not verify",
    );
    await assert.rejects(signCertificateRequest(osCA, osCA.crt), /unexpected PEM type "CERTIFICATE"/);
  });
});
