import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { createCertificateAuthority } from "./certificate-authority.ts";
import { certificateSpkiHash, inspectCertificate, verifyCertificate } from "./inspect-certificate.ts";
import { issueCertificate } from "./issue-certificate.ts";
import { PkiError } from "./pki-error.ts";
import { decodePrivateKeyPem, publicKeySpki } from "./private-key.ts";

describe("inspectCertificate / verifyCertificate", () => {
  it("reports the SPKI hash the way Talos's x509.Hash does", async () => {
    const ca = await createCertificateAuthority({ organization: ["talos"], lifetimeMs: 3600_000 });
    const spki = publicKeySpki(decodePrivateKeyPem(ca.key));
    const expected = `sha256:${createHash("sha256").update(spki).digest("hex")}`;
    assert.equal(certificateSpkiHash(ca.crt), expected);
    assert.equal(inspectCertificate(ca.crt).spkiHash, expected);
  });

  it("does not accept a leaf as a CA, nor a certificate from another CA", async () => {
    const ca = await createCertificateAuthority({ organization: ["a"], lifetimeMs: 3600_000 });
    const other = await createCertificateAuthority({ organization: ["a"], lifetimeMs: 3600_000 });
    const leaf = await issueCertificate(ca, { commonName: "leaf" });
    const grandchild = await issueCertificate(leaf, { commonName: "nope" });
    assert.ok(verifyCertificate(leaf.crt, ca.crt));
    // Same subject name, different key: the signature check fails.
    assert.equal(verifyCertificate(leaf.crt, other.crt), false);
    assert.equal(verifyCertificate(grandchild.crt, leaf.crt), false);
  });

  it("throws a PkiError for unparsable input", () => {
    assert.throws(
      () => inspectCertificate("nope", "client certificate"),
      (e: unknown) => e instanceof PkiError && e.message === "client certificate: no PEM block found",
    );
    assert.throws(
      () => verifyCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "x"),
      /certificate: cannot parse X.509 certificate/,
    );
  });
});
