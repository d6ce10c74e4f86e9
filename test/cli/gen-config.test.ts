// The Talos Getting Started flow offline: gen secrets, gen config, validate, the talosconfig's client
// certificate checked with openssl, secrets recovered from a control plane config, and the docs' patches.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { parse } from "yaml";
import { runTalosctl, tempDir } from "./harness.ts";

const run = promisify(execFile);
const ENDPOINT = "https://10.5.0.2:6443";

type Tree = Record<string, any>;

async function ok(args: string[], cwd: string): Promise<string> {
  const r = await runTalosctl(args, { cwd });
  assert.equal(r.code, 0, `talosctl ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stderr;
}

async function fails(args: string[], cwd: string, message: RegExp): Promise<void> {
  const r = await runTalosctl(args, { cwd });
  assert.equal(r.code, 1, `talosctl ${args.join(" ")} should fail; stderr:\n${r.stderr}`);
  assert.match(r.stderr, message);
}

async function yamlFile(path: string): Promise<Tree> {
  return parse(await readFile(path, "utf8")) as Tree;
}

async function openssl(args: string[], cwd: string): Promise<string> {
  return (await run("openssl", args, { cwd })).stdout;
}

describe("talosctl gen config", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let cwd: string;

  before(async () => {
    dir = await tempDir();
    cwd = dir.path;
    await ok(["gen", "secrets", "-o", "s.yaml"], cwd);
    const stderr = await ok(["gen", "config", "--with-secrets", "s.yaml", "demo", ENDPOINT], cwd);
    assert.match(stderr, /Created controlplane\.yaml\nCreated worker\.yaml\nCreated talosconfig/);
  });
  after(() => dir.cleanup());

  it("writes controlplane.yaml, worker.yaml (0644) and talosconfig (0600)", async () => {
    const mode = async (f: string) => (await stat(join(cwd, f))).mode & 0o777;
    assert.equal(await mode("controlplane.yaml"), 0o644);
    assert.equal(await mode("worker.yaml"), 0o644);
    assert.equal(await mode("talosconfig"), 0o600);
    const cp = await yamlFile(join(cwd, "controlplane.yaml"));
    assert.equal(cp["machine"]["type"], "controlplane");
    assert.equal(cp["cluster"]["controlPlane"]["endpoint"], ENDPOINT);
    assert.equal(cp["cluster"]["clusterName"], "demo");
    assert.deepEqual(cp["cluster"]["apiServer"]["certSANs"], ["10.5.0.2"]);
    const worker = await yamlFile(join(cwd, "worker.yaml"));
    assert.equal(worker["machine"]["type"], "worker");
    assert.equal(worker["machine"]["ca"]["key"], "", "workers must not hold the OS CA key");
    assert.equal(worker["cluster"]["ca"]["key"], "");
    assert.equal(worker["cluster"]["etcd"], undefined);
  });

  for (const mode of ["metal", "container"]) {
    it(`both configs pass validate --mode ${mode}`, async () => {
      for (const file of ["controlplane.yaml", "worker.yaml"]) {
        const r = await runTalosctl(["validate", "--config", file, "--mode", mode, "--strict"], { cwd });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`${file} is valid for ${mode} mode`));
      }
    });
  }

  it("the talosconfig client certificate verifies against its OS CA, O=os:admin, Ed25519", async () => {
    const tc = await yamlFile(join(cwd, "talosconfig"));
    assert.equal(tc["context"], "demo");
    const ctx = tc["contexts"]["demo"];
    assert.deepEqual(ctx["endpoints"], ["127.0.0.1"]);
    for (const k of ["ca", "crt", "key"]) await writeFile(join(cwd, `tc-${k}.pem`), Buffer.from(ctx[k], "base64"));
    assert.match(await openssl(["verify", "-CAfile", "tc-ca.pem", "tc-crt.pem"], cwd), /tc-crt\.pem: OK/);
    const crt = await openssl(["x509", "-in", "tc-crt.pem", "-noout", "-text"], cwd);
    assert.match(crt, /Subject: O ?= ?os:admin\s*\n/);
    assert.match(crt, /TLS Web Client Authentication/);
    assert.doesNotMatch(crt, /TLS Web Server Authentication/);
    assert.match(crt, /Public Key Algorithm: ED25519/);
    const ca = await openssl(["x509", "-in", "tc-ca.pem", "-noout", "-text"], cwd);
    assert.match(ca, /Public Key Algorithm: ED25519/);
    // The key in the talosconfig belongs to the certificate.
    const pub = (args: string[]) => openssl(args, cwd);
    await writeFile(join(cwd, "tc-key-std.pem"), relabelEd25519(await readFile(join(cwd, "tc-key.pem"), "utf8")));
    assert.equal(
      await pub(["pkey", "-in", "tc-key-std.pem", "-pubout"]),
      await pub(["x509", "-in", "tc-crt.pem", "-noout", "-pubkey"]),
    );
    // And the CA in the talosconfig is the bundle's OS CA.
    const bundle = await yamlFile(join(cwd, "s.yaml"));
    assert.equal(ctx["ca"], bundle["certs"]["os"]["crt"]);
  });

  it("the Kubernetes, etcd and aggregator CAs are ECDSA P-256 and the service account key is ECDSA", async () => {
    const cp = await yamlFile(join(cwd, "controlplane.yaml"));
    const cas = {
      k8s: cp["cluster"]["ca"],
      etcd: cp["cluster"]["etcd"]["ca"],
      aggregator: cp["cluster"]["aggregatorCA"],
    };
    for (const [name, pair] of Object.entries(cas)) {
      await writeFile(join(cwd, `${name}.crt`), Buffer.from(pair.crt, "base64"));
      const text = await openssl(["x509", "-in", `${name}.crt`, "-noout", "-text"], cwd);
      assert.match(text, /Public Key Algorithm: id-ecPublicKey/, name);
      assert.match(text, /prime256v1/, name);
      assert.match(text, /CA:TRUE/, name);
      assert.match(Buffer.from(pair.key, "base64").toString(), /^-----BEGIN EC PRIVATE KEY-----/, name);
    }
    const sa = Buffer.from(cp["cluster"]["serviceAccount"]["key"], "base64").toString();
    assert.match(sa, /^-----BEGIN EC PRIVATE KEY-----/);
  });

  it("gen secrets --from-controlplane-config gives a bundle that reproduces the same CAs, tokens and keys", async () => {
    await ok(["gen", "secrets", "--from-controlplane-config", "controlplane.yaml", "-o", "s2.yaml"], cwd);
    await ok(["gen", "config", "--with-secrets", "s2.yaml", "demo", ENDPOINT, "-o", "again"], cwd);
    for (const file of ["controlplane.yaml", "worker.yaml"]) {
      const a = await yamlFile(join(cwd, file));
      const b = await yamlFile(join(cwd, "again", file));
      assert.deepEqual(b, a, `${file} differs when generated from the recovered bundle`);
    }
    const s1 = await yamlFile(join(cwd, "s.yaml"));
    const s2 = await yamlFile(join(cwd, "s2.yaml"));
    assert.deepEqual(s2, s1);
  });

  it("machineconfig patch and --config-patch-worker set the hostname (the docs' worker1.patch)", async () => {
    await writeFile(join(cwd, "worker1.patch"), "machine:\n  network:\n    hostname: worker1\n");
    await ok(["machineconfig", "patch", "worker.yaml", "--patch", "@worker1.patch", "-o", "worker1.yaml"], cwd);
    assert.equal((await yamlFile(join(cwd, "worker1.yaml")))["machine"]["network"]["hostname"], "worker1");

    const args = ["gen", "config", "--with-secrets", "s.yaml", "demo", ENDPOINT, "--config-patch-worker"];
    await ok([...args, "@worker1.patch", "--output-types", "worker", "-o", "gen-worker1.yaml"], cwd);
    const generated = await yamlFile(join(cwd, "gen-worker1.yaml"));
    assert.equal(generated["machine"]["type"], "worker");
    assert.equal(generated["machine"]["network"]["hostname"], "worker1");
  });

  it("--config-patch applies to both types, JSON 6902 patches work, lists merge as Talos merges them", async () => {
    const strategic = JSON.stringify({
      machine: {
        certSANs: ["10.0.0.10"],
        network: { interfaces: [{ interface: "eth0", dhcp: true }] },
      },
    });
    const byKey = "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        mtu: 9000\n";
    const json6902 = '[{"op": "add", "path": "/machine/nodeLabels", "value": {"rack": "r1"}}]';
    await ok(
      [
        "gen",
        "config",
        "--with-secrets",
        "s.yaml",
        "demo",
        ENDPOINT,
        "--additional-sans",
        "1.2.3.4",
        "--config-patch",
        strategic,
        "--config-patch",
        byKey,
        "--config-patch-control-plane",
        json6902,
        "-o",
        "patched",
      ],
      cwd,
    );
    const cp = await yamlFile(join(cwd, "patched", "controlplane.yaml"));
    // Lists are appended to: the generated SAN stays and the patch's follows.
    assert.deepEqual(cp["machine"]["certSANs"], ["1.2.3.4", "10.0.0.10"]);
    // Network interfaces merge by their `interface` key.
    assert.deepEqual(cp["machine"]["network"]["interfaces"], [{ interface: "eth0", dhcp: true, mtu: 9000 }]);
    assert.deepEqual(cp["machine"]["nodeLabels"], { rack: "r1" });
    const worker = await yamlFile(join(cwd, "patched", "worker.yaml"));
    assert.deepEqual(worker["machine"]["certSANs"], ["1.2.3.4", "10.0.0.10"]);
    assert.equal(worker["machine"]["nodeLabels"], undefined, "control-plane patch must not reach the worker");
  });

  it("-o - prints a single output type; --with-docs=false writes plain YAML with the same data", async () => {
    const plain = await runTalosctl(
      [
        "gen",
        "config",
        "--with-secrets",
        "s.yaml",
        "demo",
        ENDPOINT,
        "-t",
        "controlplane",
        "-o",
        "-",
        "--with-docs=false",
      ],
      { cwd },
    );
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, /#/);
    const docs = await yamlFile(join(cwd, "controlplane.yaml"));
    const data = parse(plain.stdout) as Tree;
    // Only the empty manifest lists differ: Talos keeps them with docs and drops them without.
    assert.deepEqual(docs["cluster"]["extraManifests"], []);
    assert.deepEqual(docs["cluster"]["inlineManifests"], []);
    delete docs["cluster"]["extraManifests"];
    delete docs["cluster"]["inlineManifests"];
    assert.deepEqual(data, docs);
  });

  it("refuses to overwrite without --force, and overwrites with it", async () => {
    const before = await readFile(join(cwd, "controlplane.yaml"), "utf8");
    await fails(
      ["gen", "config", "demo", ENDPOINT],
      cwd,
      /controlplane\.yaml already exists, use --force to overwrite/,
    );
    assert.equal(await readFile(join(cwd, "controlplane.yaml"), "utf8"), before);
    await ok(["gen", "config", "demo", ENDPOINT, "--force"], cwd);
    assert.notEqual(await readFile(join(cwd, "controlplane.yaml"), "utf8"), before);
  });

  it("--talos-version v1.2 generates the older contract (aescbc encryption, no kubePrism)", async () => {
    const r = await runTalosctl(
      ["gen", "config", "old", ENDPOINT, "--talos-version", "v1.2", "-t", "controlplane", "-o", "-"],
      {
        cwd,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const cp = parse(r.stdout) as Tree;
    assert.equal(typeof cp["cluster"]["aescbcEncryptionSecret"], "string");
    assert.equal(cp["cluster"]["secretboxEncryptionSecret"], undefined);
    assert.equal(cp["machine"]["features"]["kubePrism"], undefined);
  });
});

describe("talosctl gen config: bad input", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  before(async () => {
    dir = await tempDir();
  });
  after(() => dir.cleanup());

  const cases: [string, string[], RegExp][] = [
    [
      "an endpoint without scheme",
      ["demo", "10.5.0.2"],
      /no scheme and port specified.*\ntry: "https:\/\/10\.5\.0\.2:6443"/,
    ],
    ["an http endpoint", ["demo", "http://10.5.0.2:6443"], /should have scheme https:\/\//],
    ["a malformed endpoint", ["demo", "https://[::1:6443"], /failed to parse the cluster endpoint URL/],
    [
      "an unreadable patch",
      ["demo", ENDPOINT, "--config-patch", "@missing.patch"],
      /--config-patch: cannot read missing\.patch: no such file/,
    ],
    [
      "a patch with an unknown key",
      ["demo", ENDPOINT, "--config-patch-worker", "machine:\n  bogus: 1\n"],
      /machine\.bogus: unknown field "bogus"/,
    ],
    [
      "a patch of the wrong type",
      ["demo", ENDPOINT, "--config-patch", "machine:\n  certSANs: notalist\n"],
      /machine\.certSANs/,
    ],
    [
      "a JSON patch that does not apply",
      ["demo", ENDPOINT, "--config-patch", '[{"op":"replace","path":"/machine/nope/x","value":1}]'],
      /--config-patch: patch does not apply:\n.*replace \/machine\/nope\/x\): path not found/,
    ],
    ["an unknown output type", ["demo", ENDPOINT, "-t", "nodes"], /--output-types: invalid output type "nodes"/],
    ["stdout for several outputs", ["demo", ENDPOINT, "-o", "-"], /can be used only with a single --output-types/],
    [
      "a bad Kubernetes version",
      ["demo", ENDPOINT, "--kubernetes-version", "latest"],
      /--kubernetes-version: invalid version "latest"/,
    ],
    ["a bad Talos version", ["demo", ENDPOINT, "--talos-version", "x"], /--talos-version: invalid talos-version "x"/],
    [
      "a bad registry mirror",
      ["demo", ENDPOINT, "--registry-mirror", "docker.io"],
      /--registry-mirror: invalid registry mirror spec "docker\.io"/,
    ],
    [
      "a missing secrets file",
      ["demo", ENDPOINT, "--with-secrets", "nope.yaml"],
      /--with-secrets: cannot read nope\.yaml: no such file/,
    ],
    ["a bad boolean", ["demo", ENDPOINT, "--with-docs=maybe"], /--with-docs.*expected true or false, got "maybe"/],
    ["a missing endpoint argument", ["demo"], /missing required argument/],
  ];
  for (const [name, args, message] of cases) {
    it(`rejects ${name} and writes nothing`, async () => {
      await fails(["gen", "config", ...args], dir.path, message);
      assert.deepEqual(await readdir(dir.path), []);
    });
  }

  it("rejects a secrets bundle with a bad field, naming the file and the field", async () => {
    await ok(["gen", "secrets", "-o", "s.yaml"], dir.path);
    const text = await readFile(join(dir.path, "s.yaml"), "utf8");
    await writeFile(join(dir.path, "bad.yaml"), text.replace(/token: .*/, "token: not-a-token"));
    await fails(
      ["gen", "config", "demo", ENDPOINT, "--with-secrets", "bad.yaml"],
      dir.path,
      /--with-secrets: bad\.yaml: invalid secrets bundle:\n.*secrets\.bootstraptoken: expected a token/,
    );
    assert.deepEqual((await readdir(dir.path)).sort(), ["bad.yaml", "s.yaml"]);
  });
});

/** OpenSSL reads Ed25519 keys under the standard PKCS#8 label; Talos writes its own label. */
function relabelEd25519(pem: string): string {
  return pem.replaceAll("ED25519 PRIVATE KEY", "PRIVATE KEY");
}
