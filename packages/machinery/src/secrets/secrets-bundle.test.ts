import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { decodeBase64Strict, decodeBase64UrlStrict } from "./base64.ts";
import { decodeCertAndKey, encodeCertAndKey } from "./certificate-and-key.ts";
import { createCertificateAuthority } from "./certificate-authority.ts";
import { decodeSecretsBundle } from "./decode-secrets-bundle.ts";
import { encodeSecretsBundle } from "./encode-secrets-bundle.ts";
import { inspectCertificate, verifyCertificate } from "./inspect-certificate.ts";
import { issueClientCertificate } from "./issue-certificate.ts";
import { decodePem } from "./pem.ts";
import { PkiError } from "./pki-error.ts";
import { decodePrivateKeyPem, encodePrivateKeyPem, generatePrivateKey } from "./private-key.ts";
import { generateSecretsBundle, type SecretsBundle } from "./secrets-bundle.ts";
import { TOKEN_PATTERN } from "./token.ts";

const CA_LIFETIME = 87600 * 3600 * 1000;
const pem = (pair: { crt: string; key: string }) => decodeCertAndKey(pair);

describe("generateSecretsBundle (current contract)", () => {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  let bundle: SecretsBundle;
  before(async () => {
    bundle = await generateSecretsBundle({ now });
  });

  it("makes the OS CA Ed25519, O=talos, valid 10 years from now", () => {
    const info = inspectCertificate(pem(bundle.certs.os).crt);
    assert.equal(info.publicKeyAlgorithm, "ed25519");
    assert.equal(info.signatureAlgorithm, "Ed25519");
    assert.equal(info.subject.text, "O=talos");
    assert.equal(info.isCA, true);
    assert.equal(info.notBefore.getTime(), now.getTime());
    assert.equal(info.notAfter.getTime() - info.notBefore.getTime(), CA_LIFETIME);
    assert.equal(decodePem(pem(bundle.certs.os).key, "k").label, "ED25519 PRIVATE KEY");
  });

  it("makes the Kubernetes, etcd and aggregator CAs ECDSA P-256 / SHA-256", () => {
    for (const [name, subject] of [
      ["k8s", "O=kubernetes"],
      ["etcd", "O=etcd"],
      // Talos asks for CN=front-proxy, but siderolabs/crypto's CA helper only copies Organization.
      ["k8saggregator", ""],
    ] as const) {
      const pair = pem(bundle.certs[name]);
      const info = inspectCertificate(pair.crt);
      assert.equal(info.publicKeyAlgorithm, "ecdsa", name);
      assert.equal(info.curve, "P-256", name);
      assert.equal(info.signatureAlgorithm, "ECDSA-SHA256", name);
      assert.equal(info.subject.text, subject, name);
      assert.equal(info.isCA, true, name);
      assert.deepEqual(info.keyUsage, ["digitalSignature", "certSign"], name);
      assert.deepEqual(info.extKeyUsage, ["serverAuth", "clientAuth"], name);
      assert.equal(info.notAfter.getTime() - info.notBefore.getTime(), CA_LIFETIME, name);
      assert.equal(decodePem(pair.key, "k").label, "EC PRIVATE KEY", name);
      assert.ok(verifyCertificate(pair.crt, pair.crt), name);
    }
  });

  it("makes an ECDSA P-256 service-account key", () => {
    const key = decodePrivateKeyPem(Buffer.from(bundle.certs.k8sserviceaccount.key, "base64").toString());
    assert.equal(key.algorithm, "ecdsa");
    assert.equal(key.curve, "P-256");
  });

  it("makes tokens, cluster ID and secrets in Talos's formats", () => {
    assert.match(bundle.secrets.bootstraptoken, TOKEN_PATTERN);
    assert.match(bundle.trustdinfo.token, TOKEN_PATTERN);
    assert.notEqual(bundle.secrets.bootstraptoken, bundle.trustdinfo.token);
    // Cluster ID: padded URL-safe base64 of 32 bytes; secret and secretbox key: standard base64 of 32 bytes.
    assert.equal(bundle.cluster.id.length, 44);
    assert.equal(decodeBase64UrlStrict(bundle.cluster.id)?.length, 32);
    assert.equal(decodeBase64Strict(bundle.cluster.secret)?.length, 32);
    assert.equal(decodeBase64Strict(bundle.secrets.secretboxencryptionsecret ?? "")?.length, 32);
    assert.equal(bundle.secrets.aescbcencryptionsecret, undefined);
  });

  it("stores crt/key as base64 of PEM", () => {
    for (const name of ["os", "k8s", "etcd", "k8saggregator"] as const) {
      assert.match(Buffer.from(bundle.certs[name].crt, "base64").toString(), /^-----BEGIN CERTIFICATE-----\n/);
    }
  });

  it("is written as Talos writes secrets.yaml: key order, 4-space indent, unfolded lines", () => {
    const text = encodeSecretsBundle(bundle);
    const keys = text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.replace(/:.*$/, ":"));
    assert.deepEqual(keys, [
      "cluster:",
      "    id:",
      "    secret:",
      "secrets:",
      "    bootstraptoken:",
      "    secretboxencryptionsecret:",
      "trustdinfo:",
      "    token:",
      "certs:",
      "    etcd:",
      "        crt:",
      "        key:",
      "    k8s:",
      "        crt:",
      "        key:",
      "    k8saggregator:",
      "        crt:",
      "        key:",
      "    k8sserviceaccount:",
      "        key:",
      "    os:",
      "        crt:",
      "        key:",
    ]);
    assert.ok(text.includes(`        crt: ${bundle.certs.os.crt}\n`));
    assert.deepEqual(parse(text), JSON.parse(JSON.stringify(bundle)));
  });

  it("round-trips through decodeSecretsBundle", () => {
    assert.deepEqual(decodeSecretsBundle(encodeSecretsBundle(bundle), "secrets.yaml"), bundle);
  });

  it("issues a talosconfig admin certificate from the bundle's OS CA", async () => {
    const admin = await issueClientCertificate(pem(bundle.certs.os), { roles: ["os:admin"] });
    assert.ok(verifyCertificate(admin.crt, pem(bundle.certs.os).crt));
    assert.deepEqual(inspectCertificate(admin.crt).subject.organization, ["os:admin"]);
  });
});

describe("generateSecretsBundle (older contracts)", () => {
  it("uses an AES-CBC key instead of secretbox up to v1.2", async () => {
    const b = await generateSecretsBundle({ talosVersion: "v1.2" });
    assert.equal(b.secrets.secretboxencryptionsecret, undefined);
    assert.equal(decodeBase64Strict(b.secrets.aescbcencryptionsecret ?? "")?.length, 32);
    assert.match(encodeSecretsBundle(b), /\n {4}aescbcencryptionsecret: /);
    assert.deepEqual(decodeSecretsBundle(encodeSecretsBundle(b)), b);
    const b13 = await generateSecretsBundle({ talosVersion: "v1.3.0" });
    assert.equal(b13.secrets.aescbcencryptionsecret, undefined);
    assert.ok(b13.secrets.secretboxencryptionsecret);
  });

  it("signs the ECDSA CAs with SHA-512 up to v0.12", async () => {
    const b = await generateSecretsBundle({ talosVersion: "v0.12" });
    for (const name of ["k8s", "etcd", "k8saggregator"] as const) {
      assert.equal(inspectCertificate(pem(b.certs[name]).crt).signatureAlgorithm, "ECDSA-SHA512", name);
    }
    assert.equal(inspectCertificate(pem(b.certs.os).crt).signatureAlgorithm, "Ed25519");
  });

  it("uses RSA-4096 for the Kubernetes and etcd CAs up to v0.8", async () => {
    const b = await generateSecretsBundle({ contract: { major: 0, minor: 8 } });
    for (const name of ["k8s", "etcd"] as const) {
      const pair = pem(b.certs[name]);
      assert.equal(inspectCertificate(pair.crt).signatureAlgorithm, "SHA512-RSA", name);
      assert.equal(decodePrivateKeyPem(pair.key).keyObject.asymmetricKeyDetails?.modulusLength, 4096, name);
      assert.equal(decodePem(pair.key, "k").label, "RSA PRIVATE KEY", name);
    }
    assert.equal(inspectCertificate(pem(b.certs.k8saggregator).crt).publicKeyAlgorithm, "ecdsa");
  });

  it("rejects an unparsable version", async () => {
    await assert.rejects(generateSecretsBundle({ talosVersion: "latest" }), /invalid talos-version "latest"/);
  });
});

describe("generateSecretsBundle (existing Kubernetes PKI)", () => {
  it("takes over the given CAs, service-account key and bootstrap token", async () => {
    const k8s = await createCertificateAuthority({
      keyAlgorithm: "rsa",
      rsaBits: 2048,
      commonName: "kubernetes",
      lifetimeMs: CA_LIFETIME,
    });
    const sa = encodePrivateKeyPem(await generatePrivateKey("rsa", { rsaBits: 1024 }));
    const b = await generateSecretsBundle({
      existing: { k8s, serviceAccountKey: sa, bootstrapToken: "abcdef.0123456789abcdef" },
    });
    assert.deepEqual(b.certs.k8s, encodeCertAndKey({ crt: k8s.crt, key: k8s.key }));
    assert.equal(Buffer.from(b.certs.k8sserviceaccount.key, "base64").toString(), sa);
    assert.equal(b.secrets.bootstraptoken, "abcdef.0123456789abcdef");
    assert.equal(inspectCertificate(pem(b.certs.etcd).crt).subject.text, "O=etcd");
    assert.deepEqual(decodeSecretsBundle(encodeSecretsBundle(b)), b);
  });

  it("rejects mismatched pairs and malformed tokens", async () => {
    const a = await createCertificateAuthority({ keyAlgorithm: "ecdsa", lifetimeMs: CA_LIFETIME });
    const b = await createCertificateAuthority({ keyAlgorithm: "ecdsa", lifetimeMs: CA_LIFETIME });
    await assert.rejects(
      generateSecretsBundle({ existing: { etcd: { crt: a.crt, key: b.key } } }),
      (e: unknown) => e instanceof PkiError && e.message === "etcd CA: the private key does not match the certificate",
    );
    await assert.rejects(
      generateSecretsBundle({ existing: { bootstrapToken: "nope" } }),
      /bootstrap token "nope": expected the format/,
    );
  });
});
