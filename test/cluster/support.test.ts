// `talosctl support` against two node processes: a zip with a folder per node (service logs and states,
// dmesg, resources, version...) and the cluster folder; a node that is down, a reader's certificate and an
// unreachable cluster leave errors in the bundle, not a failed command (except when nothing answers).
import "reflect-metadata";
import assert from "node:assert/strict";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { decodeCertAndKey, issueClientCertificate, loadCertificateAuthority } from "@talos/machinery/secrets";
import { strFromU8, unzipSync } from "fflate";
import { parse, stringify } from "yaml";
import { runTalosctl } from "../cli/harness.ts";
import { clusterSecrets, startCluster, type TestCluster } from "./harness.ts";

async function readZip(path: string): Promise<Map<string, string>> {
  const files = unzipSync(new Uint8Array(await readFile(path)));
  return new Map(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

describe("talosctl support", () => {
  let cluster: TestCluster;
  let a: string;
  let b: string;
  before(async () => {
    cluster = await startCluster(46, 2);
    [a, b] = cluster.nodes.map((n) => n.address) as [string, string];
  });
  after(() => cluster?.cleanup());

  it("collects a folder per node and the cluster folder into the zip", async () => {
    const out = join(cluster.dir, "support.zip");
    const r = await cluster.talosctl(["-e", a, "-n", `${a},${b}`, "support", "-O", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, new RegExp(`Support bundle is written to ${out.replaceAll(".", "\\.")}\\n$`));
    // stderr is not a terminal here: one line per collected file.
    assert.match(r.stderr, new RegExp(`^${a.replaceAll(".", "\\.")}: \\[\\d+/\\d+\\] service-logs/apid\\.log$`, "m"));

    const zip = await readZip(out);
    for (const node of [a, b]) {
      const has = (name: string) => zip.has(`${node}/${name}`);
      for (const name of [
        "version",
        "service-logs/apid.log",
        "service-logs/apid.state",
        "service-logs/machined.state",
        "controller-runtime.log",
        "machined.log",
        "mounts",
        "processes",
        "memory",
        "resources/hostnamestatuses.net.talos.dev.yaml",
        "resources/resourcedefinitions.meta.cosi.dev.yaml",
      ]) {
        assert.ok(has(name), `${node}/${name} missing; the zip holds ${[...zip.keys()].join(", ")}`);
      }
      // The kernel log may be unreadable for an unprivileged node process: then its error is recorded.
      assert.ok(
        has("dmesg.log") || /^dmesg\.log: /m.test(zip.get(`${node}/error.txt`) ?? ""),
        `${node}: neither dmesg.log nor its error`,
      );
      // Each node's files come from that node (one-to-one calls with node metadata).
      const hostname = parse(zip.get(`${node}/resources/hostnamestatuses.net.talos.dev.yaml`) ?? "");
      assert.equal(hostname.spec.hostname, `talos-${node.replaceAll(".", "-")}`);
      assert.equal(hostname.metadata.type, "HostnameStatuses.net.talos.dev");
      assert.match(
        zip.get(`${node}/version`) ?? "",
        new RegExp(`^Server:\\n\\tNODE: +${node}\\n\\tTag: +v1\\.6\\.7$`, "m"),
      );
      assert.match(zip.get(`${node}/service-logs/apid.state`) ?? "", /^ID +apid\nSTATE +Running\n/);
      // Sensitive specs are redacted, as Talos does.
      const mc = zip.get(`${node}/resources/machineconfigs.config.talos.dev.yaml`) ?? "";
      assert.match(mc, /^spec: <REDACTED>$/m);
      assert.doesNotMatch(mc, /BEGIN/);
    }
    assert.match(zip.get("cluster/kubernetes.txt") ?? "", /no Kubernetes API yet/);
    assert.match(zip.get("cluster/members") ?? "", /^NODE +NAMESPACE +TYPE +ID/);
  });

  it("replaces an existing bundle, leaving no temp file", async () => {
    const out = join(cluster.dir, "again.zip");
    await writeFile(out, "old");
    const r = await cluster.talosctl(["-e", a, "-n", a, "support", "-O", out, "-w", "4", "-v"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((await stat(out)).size > 1000);
    assert.ok((await readZip(out)).has(`${a}/version`));
    assert.deepEqual(
      (await readdir(cluster.dir)).filter((f) => f.endsWith(".tmp")),
      [],
    );
    // --verbose: sizes and times per file.
    assert.match(r.stderr, /: \[\d+\/\d+\] version \(\d+(\.\d)? (B|KiB), \d+ ms\)$/m);
  });

  it("a reader's certificate gets error entries for the sensitive types, not a failure", async () => {
    const secrets = await clusterSecrets(cluster);
    const reader = await issueClientCertificate(loadCertificateAuthority(decodeCertAndKey(secrets.osCA)), {
      roles: ["os:reader"],
    });
    const config = parse(await readFile(cluster.talosconfig, "utf8"));
    const ctx = config.contexts[config.context];
    ctx.crt = Buffer.from(reader.crt).toString("base64");
    ctx.key = Buffer.from(reader.key).toString("base64");
    const readerConfig = join(cluster.dir, "reader-talosconfig");
    await writeFile(readerConfig, stringify(config));
    const out = join(cluster.dir, "reader.zip");
    const r = await runTalosctl(["--talosconfig", readerConfig, "-e", a, "-n", a, "support", "-O", out], {
      cwd: cluster.dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const zip = await readZip(out);
    assert.ok(zip.has(`${a}/resources/hostnamestatuses.net.talos.dev.yaml`));
    assert.ok(!zip.has(`${a}/resources/machineconfigs.config.talos.dev.yaml`));
    assert.match(
      zip.get(`${a}/error.txt`) ?? "",
      /^resources\/machineconfigs\.config\.talos\.dev\.yaml: rpc error: code = PermissionDenied/m,
    );
    assert.match(r.stderr, /Processed with errors:\n {3}SOURCE +ERROR\n/);
  });

  it("a node that is down gets error.txt, the bundle completes and the command exits 0", async () => {
    const down = cluster.nodes[1];
    assert.ok(down !== undefined);
    await cluster.stop(down);
    try {
      const out = join(cluster.dir, "down.zip");
      const r = await cluster.talosctl(["-e", a, "-n", `${a},${b}`, "support", "-O", out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`WARNING: node ${b.replaceAll(".", "\\.")} could not be reached`));
      const zip = await readZip(out);
      assert.ok(zip.has(`${a}/service-logs/apid.log`));
      assert.match(zip.get(`${b}/error.txt`) ?? "", /rpc error: code = Unavailable/);
      assert.deepEqual(
        [...zip.keys()].filter((k) => k.startsWith(`${b}/`)),
        [`${b}/error.txt`],
      );

      // Nothing answers at all: the bundle is still written, but the command fails.
      const none = join(cluster.dir, "none.zip");
      const r2 = await cluster.talosctl(["-e", a, "-n", b, "support", "-O", none]);
      assert.equal(r2.code, 1);
      assert.match(r2.stderr, /error: no node could be reached/);
      assert.ok((await readZip(none)).has(`${b}/error.txt`));
    } finally {
      await cluster.start(down);
    }
  });

  it("documents its flags and exit status", async () => {
    const r = await cluster.talosctl(["support", "--help"]);
    assert.equal(r.code, 0);
    for (const flag of ["-O, --output <file>", "-w, --num-workers <int>", "-v, --verbose", "Exit status: 0"]) {
      assert.ok(r.stdout.includes(flag), `${flag} missing from:\n${r.stdout}`);
    }
    const bad = await cluster.talosctl(["-n", a, "support", "-w", "0"]);
    assert.equal(bad.code, 1);
    const noNodes = await cluster.talosctl(["-e", a, "support"]);
    assert.equal(noNodes.code, 1);
    assert.match(noNodes.stderr, /please provide at least a single node/);
  });
});
