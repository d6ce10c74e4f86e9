import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { type CertificateAuthority, createCertificateAuthority } from "./certificate-authority.ts";
import { inspectCertificate, verifyCertificate } from "./inspect-certificate.ts";
import { issueCertificate, issueClientCertificate, issueServerCertificate } from "./issue-certificate.ts";
import { decodePem } from "./pem.ts";
import { PkiError } from "./pki-error.ts";
import { decodePrivateKeyPem, publicKeySpki } from "./private-key.ts";
import { x509 } from "./x509.ts";

const YEAR = 8760 * 3600 * 1000;

describe("issuing certificates", () => {
  let osCA: CertificateAuthority;
  let k8sCA: CertificateAuthority;
  before(async () => {
    osCA = await createCertificateAuthority({ organization: ["talos"], lifetimeMs: 10 * YEAR });
    k8sCA = await createCertificateAuthority({
      keyAlgorithm: "ecdsa",
      organization: ["kubernetes"],
      lifetimeMs: 10 * YEAR,
    });
  });

  it("issues the talosconfig admin certificate: O=roles, no CN, DigitalSignature, ClientAuth only, 1 year", async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 + 5000);
    const pair = await issueClientCertificate(
      { crt: osCA.crt, key: osCA.key },
      { roles: ["os:admin"], notBefore: now },
    );
    const info = inspectCertificate(pair.crt);
    assert.deepEqual(info.subject.organization, ["os:admin"]);
    assert.equal(info.subject.commonName, undefined);
    assert.deepEqual(info.issuer.organization, ["talos"]);
    assert.equal(info.isCA, false);
    assert.deepEqual(info.keyUsage, ["digitalSignature"]);
    assert.deepEqual(info.extKeyUsage, ["clientAuth"]);
    assert.deepEqual(info.dnsNames, []);
    assert.equal(info.notBefore.toISOString(), now.toISOString());
    assert.equal(info.notAfter.getTime() - now.getTime(), YEAR);
    assert.equal(info.publicKeyAlgorithm, "ed25519");
    assert.equal(decodePem(pair.key, "key").label, "ED25519 PRIVATE KEY");
    assert.deepEqual(
      publicKeySpki(decodePrivateKeyPem(pair.key)),
      new Uint8Array(new x509.X509Certificate(decodePem(pair.crt, "c").der).publicKey.rawData),
    );
    assert.ok(verifyCertificate(pair.crt, osCA.crt, { at: new Date(now.getTime() + 1000) }));
    assert.equal(verifyCertificate(pair.crt, k8sCA.crt), false);
    // Not valid before its NotBefore, nor after its NotAfter.
    assert.equal(verifyCertificate(pair.crt, osCA.crt, { at: new Date(now.getTime() - 1000) }), false);
    assert.equal(verifyCertificate(pair.crt, osCA.crt, { at: new Date(now.getTime() + YEAR + 1000) }), false);
  });

  it("sorts and de-duplicates roles, in one multi-valued Organization RDN", async () => {
    const pair = await issueClientCertificate(osCA, {
      roles: ["os:reader", "os:admin", "os:reader", " "],
      lifetimeMs: 60_000,
    });
    const info = inspectCertificate(pair.crt);
    assert.deepEqual(info.subject.organization, ["os:admin", "os:reader"]);
    assert.equal(info.subject.text, "O=os:admin+O=os:reader");
  });

  it("points the Authority Key Identifier at the CA's Subject Key Identifier and adds no SKI", async () => {
    const pair = await issueClientCertificate(osCA, { roles: ["os:admin"] });
    const leaf = new x509.X509Certificate(decodePem(pair.crt, "c").der);
    const ca = new x509.X509Certificate(decodePem(osCA.crt, "c").der);
    assert.equal(
      leaf.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId,
      ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    );
    assert.equal(leaf.getExtension(x509.SubjectKeyIdentifierExtension), null);
    assert.equal(leaf.getExtension(x509.BasicConstraintsExtension), null);
  });

  it("issues server certificates with IP and DNS SANs (ServerAuth only)", async () => {
    const pair = await issueServerCertificate(osCA, {
      commonName: "talos-cp-1",
      dnsNames: ["talos-cp-1", "talos-cp-1.example.org"],
      ipAddresses: ["172.20.0.2", "fd00::2", "::ffff:10.0.0.1"],
      keyUsage: ["digitalSignature", "keyEncipherment"],
    });
    const info = inspectCertificate(pair.crt);
    assert.equal(info.subject.commonName, "talos-cp-1");
    assert.deepEqual(info.dnsNames, ["talos-cp-1", "talos-cp-1.example.org"]);
    assert.deepEqual(info.ipAddresses, ["172.20.0.2", "fd00::2", "10.0.0.1"]);
    assert.deepEqual(info.extKeyUsage, ["serverAuth"]);
    assert.deepEqual(info.keyUsage, ["digitalSignature", "keyEncipherment"]);
    assert.equal(info.notAfter.getTime() - info.notBefore.getTime(), 24 * 3600 * 1000);
    // The SAN extension is critical only when the subject is empty.
    const san = (pem: string) =>
      new x509.X509Certificate(decodePem(pem, "c").der).getExtension(x509.SubjectAlternativeNameExtension);
    assert.equal(san(pair.crt)?.critical, false);
    const bare = await issueServerCertificate(osCA, { ipAddresses: ["127.0.0.1"] });
    assert.equal(san(bare.crt)?.critical, true);
  });

  it("follows the CA's key type: ECDSA P-256 leaves signed ECDSA-SHA256 by an ECDSA CA", async () => {
    const pair = await issueCertificate(k8sCA, { commonName: "etcd", organization: ["etcd"] });
    const info = inspectCertificate(pair.crt);
    assert.equal(info.publicKeyAlgorithm, "ecdsa");
    assert.equal(info.signatureAlgorithm, "ECDSA-SHA256");
    assert.deepEqual(info.extKeyUsage, ["serverAuth", "clientAuth"]);
    assert.equal(decodePem(pair.key, "key").label, "EC PRIVATE KEY");
    assert.ok(verifyCertificate(pair.crt, k8sCA.crt));
  });

  it("signs with RSA-SHA512 from an RSA CA", async () => {
    const rsaCA = await createCertificateAuthority({
      keyAlgorithm: "rsa",
      rsaBits: 2048,
      organization: ["x"],
      lifetimeMs: YEAR,
    });
    const pair = await issueCertificate(rsaCA, { commonName: "leaf", rsaBits: 2048 });
    assert.equal(inspectCertificate(pair.crt).signatureAlgorithm, "SHA512-RSA");
    assert.ok(verifyCertificate(pair.crt, rsaCA.crt));
  });

  it("rejects invalid SANs", async () => {
    await assert.rejects(
      issueServerCertificate(osCA, { ipAddresses: ["10.0.0.300"] }),
      (e: unknown) => e instanceof PkiError && /invalid IP address "10.0.0.300"/.test(e.message),
    );
  });
});
