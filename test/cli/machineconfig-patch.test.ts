import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { runTalosctl, tempDir } from "./harness.ts";

/** A small valid worker config, written as `gen config` would (with a comment to keep). */
const WORKER = `version: v1alpha1 # Config document version (v1alpha1).
debug: false
persist: true
# Machine settings.
machine:
    type: worker
    token: r2bm7k.wx3s0ikpf1xlhq4v
    ca:
        crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K
        key: ""
    certSANs: []
    kubelet:
        image: ghcr.io/siderolabs/kubelet:v1.29.3
        defaultRuntimeSeccompProfileEnabled: true
        disableManifestsDirectory: true
    network: {}
    install:
        disk: /dev/sda
        image: ghcr.io/siderolabs/installer:v1.6.7
        wipe: false
    features:
        rbac: true
        stableHostname: true
cluster:
    id: b2NbaBCDVPkGXk4D2aN-qhtVaTZ8TB3FhAG8iIJNPxk=
    secret: Yc1YfVs5ahDl0dKD3BjA46Ru1kWpIRYmyPuRfdyVRU0=
    controlPlane:
        endpoint: https://10.5.0.2:6443
    clusterName: demo
    network:
        dnsDomain: cluster.local
        podSubnets:
            - 10.244.0.0/16
        serviceSubnets:
            - 10.96.0.0/12
    token: abcdef.0123456789abcdef
    ca:
        crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K
        key: ""
    discovery:
        enabled: true
`;

type Obj = Record<string, any>;

describe("talosctl machineconfig patch", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const run = (...args: string[]) => runTalosctl(args, { cwd: dir });

  before(async () => {
    ({ path: dir, cleanup } = await tempDir());
    await writeFile(join(dir, "worker.yaml"), WORKER);
    await writeFile(join(dir, "worker1.patch"), "machine:\n  network:\n    hostname: worker1\n");
  });
  after(async () => {
    await cleanup();
  });

  it("applies the Talos docs example (worker1.patch sets the hostname) and prints to stdout", async () => {
    const r = await run("machineconfig", "patch", "worker.yaml", "--patch", "@worker1.patch");
    assert.equal(r.code, 0, r.stderr);
    const out = parse(r.stdout) as Obj;
    assert.equal(out["machine"]["network"]["hostname"], "worker1");
    assert.equal(out["machine"]["install"]["disk"], "/dev/sda");
    // The user's comments survive.
    assert.match(r.stdout, /^version: v1alpha1 # Config document version \(v1alpha1\)\.$/m);
    assert.match(r.stdout, /^# Machine settings\.$/m);
  });

  it("works through the mc alias and writes -o, replacing an existing file", async () => {
    const outPath = join(dir, "out", "worker1.yaml");
    let r = await run("mc", "patch", "worker.yaml", "-p", "@worker1.patch", "-o", outPath);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal((parse(await readFile(outPath, "utf8")) as Obj)["machine"]["network"]["hostname"], "worker1");

    r = await run("mc", "patch", "worker.yaml", "-p", "machine:\n  network:\n    hostname: worker2\n", "-o", outPath);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((parse(await readFile(outPath, "utf8")) as Obj)["machine"]["network"]["hostname"], "worker2");
    assert.deepEqual(await readdir(join(dir, "out")), ["worker1.yaml"]);
  });

  it("applies JSON patches from files and inline, in order", async () => {
    await writeFile(
      join(dir, "hostname.json"),
      JSON.stringify([{ op: "add", path: "/machine/network/hostname", value: "json-host" }]),
    );
    await writeFile(
      join(dir, "subnets.yaml"),
      "- op: replace\n  path: /cluster/network/podSubnets\n  value: [192.168.0.0/16]\n",
    );
    const r = await run(
      "machineconfig",
      "patch",
      "worker.yaml",
      "-p",
      "@hostname.json",
      "-p",
      "@subnets.yaml",
      "-p",
      '[{"op": "remove", "path": "/machine/certSANs"}]',
    );
    assert.equal(r.code, 0, r.stderr);
    const out = parse(r.stdout) as Obj;
    assert.equal(out["machine"]["network"]["hostname"], "json-host");
    assert.deepEqual(out["cluster"]["network"]["podSubnets"], ["192.168.0.0/16"]);
    assert.equal(out["machine"]["certSANs"], undefined);
  });

  it("prints the config unchanged without patches", async () => {
    const r = await run("machineconfig", "patch", "worker.yaml");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, WORKER);
  });

  it("fails with exit 1 naming an unreadable patch file", async () => {
    const r = await run("machineconfig", "patch", "worker.yaml", "-p", "@missing.patch");
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /--patch: cannot read missing\.patch: no such file/);
  });

  it("fails with exit 1 naming an unreadable machine config", async () => {
    const r = await run("machineconfig", "patch", "nope.yaml", "-p", "@worker1.patch");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read nope\.yaml: no such file/);
  });

  it("fails with exit 1 naming the patch and the path when a patch does not apply", async () => {
    await writeFile(join(dir, "bad.json"), JSON.stringify([{ op: "replace", path: "/machine/foo", value: 1 }]));
    const r = await run("machineconfig", "patch", "worker.yaml", "-p", "@bad.json");
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /@bad\.json: patch does not apply/);
    assert.match(r.stderr, /patch operation 1 \(replace \/machine\/foo\): path not found/);
  });

  it("reports an unknown key in a patch with its field path", async () => {
    await writeFile(join(dir, "typo.patch"), "machine:\n  network:\n    hostnme: worker1\n");
    const r = await run("machineconfig", "patch", "worker.yaml", "-p", "@typo.patch");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /@typo\.patch: invalid config patch/);
    assert.match(r.stderr, /machine\.network\.hostnme: unknown field "hostnme"/);
  });

  it("names an inline patch by its flag", async () => {
    const r = await run("machineconfig", "patch", "worker.yaml", "-p", "machine:\n  bogus: true\n");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--patch: invalid config patch/);
    assert.match(r.stderr, /machine\.bogus: unknown field "bogus"/);
  });

  it("does not leave a file behind when the patch fails", async () => {
    const outPath = join(dir, "never.yaml");
    const r = await run("machineconfig", "patch", "worker.yaml", "-p", "@bad.json", "-o", outPath);
    assert.equal(r.code, 1);
    assert.ok(!(await readdir(dir)).some((f) => f.includes("never")));
  });

  it("refuses JSON patches on multi-document configs", async () => {
    const multi = `${WORKER}---\napiVersion: v1alpha1\nkind: NetworkDefaultActionConfig\ningress: block\n`;
    await writeFile(join(dir, "multi.yaml"), multi);
    let r = await run("machineconfig", "patch", "multi.yaml", "-p", "@hostname.json");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /JSON6902 patches are not supported for multi-document machine configuration/);

    r = await run("machineconfig", "patch", "multi.yaml", "-p", "@worker1.patch");
    assert.equal(r.code, 0, r.stderr);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
    assert.equal(docs.length, 2);
    assert.equal(docs[0]!["machine"]["network"]["hostname"], "worker1");
    assert.equal(docs[1]!["kind"], "NetworkDefaultActionConfig");
  });
});
