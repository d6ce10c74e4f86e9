import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import { parseDocument } from "yaml";
import { decodeConfig } from "../config/decode.ts";
import { ConfigError } from "../config/errors.ts";
import { generateSecretsBundle, type SecretsBundle } from "./secrets-bundle.ts";
import { secretsBundleFromConfig } from "./secrets-bundle-from-config.ts";

const testdata = new URL("../config/testdata/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, testdata), "utf8");

/** The sample control-plane config with the bundle's secrets put in place of its placeholders. */
function controlPlaneConfigWith(bundle: SecretsBundle): string {
  const doc = parseDocument(read("controlplane.yaml"));
  const set = (path: string[], value: unknown) => doc.setIn(path, value);
  set(["machine", "token"], bundle.trustdinfo.token);
  set(["machine", "ca"], { ...bundle.certs.os });
  set(["cluster", "id"], bundle.cluster.id);
  set(["cluster", "secret"], bundle.cluster.secret);
  set(["cluster", "token"], bundle.secrets.bootstraptoken);
  set(["cluster", "secretboxEncryptionSecret"], bundle.secrets.secretboxencryptionsecret);
  set(["cluster", "ca"], { ...bundle.certs.k8s });
  set(["cluster", "aggregatorCA"], { ...bundle.certs.k8saggregator });
  set(["cluster", "serviceAccount"], { ...bundle.certs.k8sserviceaccount });
  set(["cluster", "etcd", "ca"], { ...bundle.certs.etcd });
  return doc.toString({ indent: 4, lineWidth: 0 });
}

const v1alpha1 = (text: string, source: string) => {
  const doc = decodeConfig(text, source).documents.find((d) => d.kind === "v1alpha1");
  assert.ok(doc);
  return doc.value;
};

describe("secretsBundleFromConfig", () => {
  let bundle: SecretsBundle;
  before(async () => {
    bundle = await generateSecretsBundle();
  });

  it("gives back the bundle a control-plane config was generated from", () => {
    const value = v1alpha1(controlPlaneConfigWith(bundle), "controlplane.yaml");
    assert.deepEqual(secretsBundleFromConfig(value, "controlplane.yaml"), bundle);
  });

  it("keeps an AES-CBC key (configs from v1.2 and older)", async () => {
    const old = await generateSecretsBundle({ talosVersion: "v1.2" });
    const value = structuredClone(v1alpha1(controlPlaneConfigWith(bundle), "cp.yaml")) as Record<string, any>;
    delete value.cluster.secretboxEncryptionSecret;
    value.cluster.aescbcEncryptionSecret = old.secrets.aescbcencryptionsecret;
    const got = secretsBundleFromConfig(value, "cp.yaml");
    assert.equal(got.secrets.aescbcencryptionsecret, old.secrets.aescbcencryptionsecret);
    assert.equal(got.secrets.secretboxencryptionsecret, undefined);
  });

  it("refuses a worker config, saying why", () => {
    const value = v1alpha1(read("worker.yaml"), "worker.yaml");
    assert.throws(
      () => secretsBundleFromConfig(value, "worker.yaml"),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message.startsWith(
          "worker.yaml: this is a worker config (machine.type is worker); it carries no CA private keys",
        ) &&
        /controlplane config/.test(e.message),
    );
    // Without a type, empty CA keys give the same diagnosis.
    const untyped = structuredClone(value) as Record<string, any>;
    delete untyped.machine.type;
    assert.throws(
      () => secretsBundleFromConfig(untyped, "w.yaml"),
      /this is a worker config \(machine.ca.key and cluster.ca.key are empty\)/,
    );
  });

  it("lists missing and invalid secrets by their config paths", () => {
    const value = structuredClone(v1alpha1(controlPlaneConfigWith(bundle), "cp.yaml")) as Record<string, any>;
    value.cluster.etcd.ca.key = "";
    value.cluster.token = "nope";
    delete value.cluster.serviceAccount;
    value.machine.ca.crt = value.cluster.ca.crt;
    try {
      secretsBundleFromConfig(value, "cp.yaml");
      assert.fail("expected an error");
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /^cp\.yaml: cannot take a secrets bundle from this config:/);
      assert.deepEqual(e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).sort(), [
        "cluster.etcd.ca.key: missing, expected base64 of a PEM private key",
        "cluster.serviceAccount.key: missing, expected base64 of a PEM private key",
        'cluster.token: expected a token like abcdef.0123456789abcdef ([0-9a-z]{6}.[0-9a-z]{16}), got "nope"',
        "machine.ca.key: the private key does not match the certificate",
      ]);
    }
  });
});
