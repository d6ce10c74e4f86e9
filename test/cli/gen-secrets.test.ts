import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { parse, parseDocument } from "yaml";
import { repoRoot, runTalosctl, tempDir } from "./harness.ts";

const run = promisify(execFile);
const testdata = join(repoRoot, "packages/machinery/src/config/testdata");

type Bundle = {
  cluster: { id: string; secret: string };
  secrets: Record<string, string>;
  trustdinfo: { token: string };
  certs: Record<string, { crt?: string; key: string }>;
};

/** `openssl x509 -text` of a base64-of-PEM certificate from the bundle. */
async function x509Text(b64: string | undefined, dir: string, name: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, Buffer.from(b64 ?? "", "base64"));
  return (await run("openssl", ["x509", "-in", file, "-noout", "-text"])).stdout;
}

/** The sample control-plane config with a bundle's secrets in place of its placeholders. */
async function controlPlaneConfig(bundle: Bundle): Promise<string> {
  const doc = parseDocument(await readFile(join(testdata, "controlplane.yaml"), "utf8"));
  doc.setIn(["machine", "token"], bundle.trustdinfo.token);
  doc.setIn(["machine", "ca"], bundle.certs["os"]);
  doc.setIn(["cluster", "id"], bundle.cluster.id);
  doc.setIn(["cluster", "secret"], bundle.cluster.secret);
  doc.setIn(["cluster", "token"], bundle.secrets["bootstraptoken"]);
  doc.setIn(["cluster", "secretboxEncryptionSecret"], bundle.secrets["secretboxencryptionsecret"]);
  doc.setIn(["cluster", "ca"], bundle.certs["k8s"]);
  doc.setIn(["cluster", "aggregatorCA"], bundle.certs["k8saggregator"]);
  doc.setIn(["cluster", "serviceAccount"], bundle.certs["k8sserviceaccount"]);
  doc.setIn(["cluster", "etcd", "ca"], bundle.certs["etcd"]);
  return doc.toString({ indent: 4, lineWidth: 0 });
}

describe("talosctl gen secrets", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let first: string;
  before(async () => {
    dir = await tempDir();
    const r = await runTalosctl(["gen", "secrets"], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    first = await readFile(join(dir.path, "secrets.yaml"), "utf8");
  });
  after(async () => dir.cleanup());

  it("writes secrets.yaml with mode 0600 in Talos's layout", async () => {
    const st = await stat(join(dir.path, "secrets.yaml"));
    assert.equal(st.mode & 0o777, 0o600);
    const bundle = parse(first) as Bundle;
    assert.deepEqual(Object.keys(bundle), ["cluster", "secrets", "trustdinfo", "certs"]);
    assert.deepEqual(Object.keys(bundle.certs), ["etcd", "k8s", "k8saggregator", "k8sserviceaccount", "os"]);
    assert.match(bundle.secrets["bootstraptoken"] ?? "", /^[0-9a-z]{6}\.[0-9a-z]{16}$/);
    assert.match(bundle.trustdinfo.token, /^[0-9a-z]{6}\.[0-9a-z]{16}$/);
    assert.match(first, /^cluster:\n {4}id: /);
  });

  it("makes an Ed25519 OS CA and ECDSA-SHA256 Kubernetes CA (openssl x509 -text)", async () => {
    const bundle = parse(first) as Bundle;
    const os = await x509Text(bundle.certs["os"]?.crt, dir.path, "os.crt");
    assert.match(os, /Signature Algorithm: ED25519/);
    assert.match(os, /Public Key Algorithm: ED25519/);
    assert.match(os, /Subject: O ?= ?talos/);
    assert.match(os, /CA:TRUE/);
    const k8s = await x509Text(bundle.certs["k8s"]?.crt, dir.path, "k8s.crt");
    assert.match(k8s, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(k8s, /NIST CURVE: P-256/);
    assert.match(k8s, /Subject: O ?= ?kubernetes/);
    // The keys are readable by OpenSSL once the Ed25519 label is the standard one.
    const osKey = Buffer.from(bundle.certs["os"]?.key ?? "", "base64").toString();
    assert.match(osKey, /^-----BEGIN ED25519 PRIVATE KEY-----\n/);
    await writeFile(join(dir.path, "os.key"), osKey.replaceAll("ED25519 PRIVATE KEY", "PRIVATE KEY"));
    await run("openssl", ["pkey", "-in", join(dir.path, "os.key"), "-noout"]);
  });

  it("refuses to overwrite without --force, leaving the old file intact", async () => {
    const r = await runTalosctl(["gen", "secrets"], { cwd: dir.path });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: secrets\.yaml already exists, use --force to overwrite\n$/);
    assert.equal(await readFile(join(dir.path, "secrets.yaml"), "utf8"), first);
  });

  it("overwrites with --force or -f (a flag of `gen`, accepted before or after the subcommand)", async () => {
    const work = join(dir.path, "force");
    await mkdir(work);
    await writeFile(join(work, "secrets.yaml"), "old");
    for (const args of [
      ["gen", "secrets", "--force"],
      ["gen", "-f", "secrets"],
    ]) {
      const r = await runTalosctl(args, { cwd: work });
      assert.equal(r.code, 0, r.stderr);
      const text = await readFile(join(work, "secrets.yaml"), "utf8");
      assert.match(text, /^cluster:/);
      assert.equal((await stat(join(work, "secrets.yaml"))).mode & 0o777, 0o600);
    }
  });

  it("writes to -o/--output-file and honours --talos-version (AES-CBC key up to v1.2)", async () => {
    const r = await runTalosctl(["gen", "secrets", "-o", "old/s.yaml", "--talos-version", "v1.2"], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    const bundle = parse(await readFile(join(dir.path, "old/s.yaml"), "utf8")) as Bundle;
    assert.deepEqual(Object.keys(bundle.secrets), ["bootstraptoken", "aescbcencryptionsecret"]);
    const bad = await runTalosctl(["gen", "secrets", "-o", "x.yaml", "--talos-version", "latest"], { cwd: dir.path });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid talos-version "latest"/);
  });

  it("rebuilds the same file from the control-plane config (--from-controlplane-config)", async () => {
    const bundle = parse(first) as Bundle;
    await writeFile(join(dir.path, "controlplane.yaml"), await controlPlaneConfig(bundle));
    const r = await runTalosctl(
      ["gen", "secrets", "--from-controlplane-config", "controlplane.yaml", "-o", "again.yaml"],
      {
        cwd: dir.path,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(join(dir.path, "again.yaml"), "utf8"), first);
  });

  it("names the file and the flag when --from-controlplane-config cannot be read", async () => {
    const r = await runTalosctl(["gen", "secrets", "--from-controlplane-config", "missing.yaml", "-o", "m.yaml"], {
      cwd: dir.path,
    });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "error: --from-controlplane-config: cannot read missing.yaml: no such file\n");
    const d = await runTalosctl(["gen", "secrets", "--from-controlplane-config", ".", "-o", "m.yaml"], {
      cwd: dir.path,
    });
    assert.equal(d.code, 1);
    assert.match(d.stderr, /--from-controlplane-config: cannot read \.: is a directory/);
  });

  it("refuses a worker config given to --from-controlplane-config", async () => {
    const r = await runTalosctl(
      ["gen", "secrets", "--from-controlplane-config", join(testdata, "worker.yaml"), "-o", "w.yaml"],
      { cwd: dir.path },
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: --from-controlplane-config: .*worker\.yaml: this is a worker config/);
    assert.match(r.stderr, /controlplane config/);
    await assert.rejects(stat(join(dir.path, "w.yaml")));
  });

  it("reports a config that does not decode", async () => {
    await writeFile(join(dir.path, "broken.yaml"), "version: v1alpha1\nmachine:\n    tpye: controlplane\n");
    const r = await runTalosctl(["gen", "secrets", "--from-controlplane-config", "broken.yaml", "-o", "b.yaml"], {
      cwd: dir.path,
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: --from-controlplane-config: broken\.yaml: /);
    assert.match(r.stderr, /tpye/);
  });

  it("builds a bundle around an existing Kubernetes PKI directory (--from-kubernetes-pki)", async () => {
    const pki = join(dir.path, "pki");
    await mkdir(join(pki, "etcd"), { recursive: true });
    const bundle = parse(first) as Bundle;
    const pem = (b64: string | undefined) => Buffer.from(b64 ?? "", "base64");
    await writeFile(join(pki, "ca.crt"), pem(bundle.certs["k8s"]?.crt));
    await writeFile(join(pki, "ca.key"), pem(bundle.certs["k8s"]?.key));
    await writeFile(join(pki, "etcd/ca.crt"), pem(bundle.certs["etcd"]?.crt));
    await writeFile(join(pki, "etcd/ca.key"), pem(bundle.certs["etcd"]?.key));
    await writeFile(join(pki, "front-proxy-ca.crt"), pem(bundle.certs["k8saggregator"]?.crt));
    await writeFile(join(pki, "front-proxy-ca.key"), pem(bundle.certs["k8saggregator"]?.key));
    await writeFile(join(pki, "sa.key"), pem(bundle.certs["k8sserviceaccount"]?.key));
    const r = await runTalosctl(["gen", "secrets", "-p", pki, "-t", "abcdef.0123456789abcdef", "-o", "from-pki.yaml"], {
      cwd: dir.path,
    });
    assert.equal(r.code, 0, r.stderr);
    const got = parse(await readFile(join(dir.path, "from-pki.yaml"), "utf8")) as Bundle;
    assert.deepEqual(got.certs["k8s"], bundle.certs["k8s"]);
    assert.deepEqual(got.certs["etcd"], bundle.certs["etcd"]);
    assert.deepEqual(got.certs["k8saggregator"], bundle.certs["k8saggregator"]);
    assert.deepEqual(got.certs["k8sserviceaccount"], bundle.certs["k8sserviceaccount"]);
    assert.notDeepEqual(got.certs["os"], bundle.certs["os"]);
    assert.equal(got.secrets["bootstraptoken"], "abcdef.0123456789abcdef");
  });
});
