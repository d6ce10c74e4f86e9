import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { stringify } from "yaml";
import { ConfigError } from "../config/errors.ts";
import { encodeCertAndKey } from "./certificate-and-key.ts";
import { createCertificateAuthority } from "./certificate-authority.ts";
import { decodeSecretsBundle } from "./decode-secrets-bundle.ts";
import { encodeSecretsBundle } from "./encode-secrets-bundle.ts";
import { generateSecretsBundle, type SecretsBundle } from "./secrets-bundle.ts";

type Plain = Record<string, any>;

/** Decodes and returns the error's issues as `path: message` lines. */
function issuesOf(text: string): string[] {
  try {
    decodeSecretsBundle(text, "secrets.yaml");
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.source, "secrets.yaml");
    assert.match(e.message, /^secrets\.yaml: invalid secrets bundle/);
    return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  }
  assert.fail("expected a ConfigError");
}

describe("decodeSecretsBundle", () => {
  let bundle: SecretsBundle;
  let plain: () => Plain;
  before(async () => {
    bundle = await generateSecretsBundle();
    plain = () => JSON.parse(JSON.stringify(bundle));
  });
  const yaml = (v: Plain) => stringify(v, { indent: 4, lineWidth: 0 });

  it("accepts what encodeSecretsBundle writes", () => {
    assert.deepEqual(decodeSecretsBundle(encodeSecretsBundle(bundle), "secrets.yaml"), bundle);
  });

  it("rejects unknown keys, naming the path and the known fields", () => {
    const v = plain();
    v.certs.admin = { crt: "", key: "" };
    v.cluster.name = "x";
    const issues = issuesOf(yaml(v));
    assert.ok(
      issues.some((i) =>
        /^certs\.admin: unknown field \(line \d+:\d+\), expected one of: etcd, k8s, k8saggregator, k8sserviceaccount, os$/.test(
          i,
        ),
      ),
      issues.join("\n"),
    );
    assert.ok(issues.some((i) => i.startsWith("cluster.name: unknown field")));
  });

  it("rejects missing fields and sections", () => {
    const v = plain();
    delete v.certs.os.key;
    delete v.trustdinfo;
    v.cluster.id = "";
    const issues = issuesOf(yaml(v));
    assert.deepEqual(issues.sort(), [
      "certs.os.key: missing, expected base64 of a PEM private key",
      "cluster.id: missing, expected a non-empty string",
      "trustdinfo.token: missing, expected a non-empty string",
    ]);
  });

  it("rejects bad base64, bad PEM, wrong PEM types and mismatched keys", async () => {
    const other = await createCertificateAuthority({ keyAlgorithm: "ecdsa", lifetimeMs: 1000 });
    const v = plain();
    v.certs.os.key = "not base64!";
    v.certs.k8s.crt = Buffer.from("hello").toString("base64");
    v.certs.etcd.crt = v.certs.etcd.key;
    v.certs.k8saggregator.key = encodeCertAndKey(other).key;
    v.certs.k8sserviceaccount.key = v.certs.os.crt;
    assert.deepEqual(issuesOf(yaml(v)).sort(), [
      'certs.etcd.crt: unexpected PEM type "EC PRIVATE KEY", expected "CERTIFICATE"',
      "certs.k8s.crt: no PEM block found",
      "certs.k8saggregator.key: the private key does not match the certificate",
      'certs.k8sserviceaccount.key: unexpected PEM type "CERTIFICATE", expected "ED25519 PRIVATE KEY" or "EC PRIVATE KEY" or "RSA PRIVATE KEY" or "PRIVATE KEY"',
      "certs.os.key: expected base64 of a PEM private key, got invalid base64",
    ]);
  });

  it("checks tokens and encryption keys", () => {
    const v = plain();
    v.secrets.bootstraptoken = "ABCDEF.0123456789abcdef";
    v.secrets.secretboxencryptionsecret = Buffer.alloc(16).toString("base64");
    v.cluster.secret = "%%%";
    assert.deepEqual(issuesOf(yaml(v)).sort(), [
      "cluster.secret: expected standard base64 data",
      'secrets.bootstraptoken: expected a token like abcdef.0123456789abcdef ([0-9a-z]{6}.[0-9a-z]{16}), got "ABCDEF.0123456789abcdef"',
      "secrets.secretboxencryptionsecret: expected standard base64 of a 32-byte key, got 16 bytes",
    ]);
  });

  it("requires exactly one of the secretbox and AES-CBC keys", () => {
    const none = plain();
    delete none.secrets.secretboxencryptionsecret;
    assert.deepEqual(issuesOf(yaml(none)), [
      "secrets: one of secretboxencryptionsecret, aescbcencryptionsecret is required",
    ]);
    const both = plain();
    both.secrets.aescbcencryptionsecret = both.secrets.secretboxencryptionsecret;
    assert.deepEqual(issuesOf(yaml(both)), [
      "secrets: only one of secretboxencryptionsecret, aescbcencryptionsecret is allowed",
    ]);
  });

  it("rejects values of the wrong kind", () => {
    const v = plain();
    v.cluster = "cluster";
    v.certs.os = [v.certs.os.crt];
    v.trustdinfo.token = { a: 1 };
    const issues = issuesOf(yaml(v));
    assert.ok(issues.includes('cluster: expected a mapping, got "cluster" (line 1:10)'), issues.join("\n"));
    assert.ok(issues.some((i) => i.startsWith("certs.os: expected a mapping, got a list")));
    assert.ok(issues.some((i) => i.startsWith("trustdinfo.token: expected a string, got a mapping")));
  });

  it("reads scalars as text, as Go's string fields do", () => {
    const v = plain();
    v.trustdinfo.token = 12345;
    assert.equal(decodeSecretsBundle(yaml(v)).trustdinfo.token, "12345");
  });

  it("reports YAML syntax errors, duplicate keys, empty files and multiple documents", () => {
    assert.match(issuesOf("cluster: [\n")[0] ?? "", /^: YAML syntax error at line \d+:\d+/);
    assert.match(
      issuesOf("cluster:\n    id: a\n    id: b\n")[0] ?? "",
      /YAML syntax error.*[Mm]ap keys must be unique/,
    );
    assert.deepEqual(issuesOf(""), [": the file is empty, expected a secrets bundle"]);
    assert.deepEqual(issuesOf("# nothing\n"), [": the file is empty, expected a secrets bundle"]);
    const text = encodeSecretsBundle(bundle);
    assert.deepEqual(issuesOf(`${text}---\n${text}`), [": expected one YAML document, found 2"]);
  });
});
