// Check 3 of the API issue: `get rd`, `get machineconfig -o yaml` and `get hostname --watch` against a node
// process; the watch sees a hostname change made with apply-config.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../cli/harness.ts";
import { startCluster, type TestCluster } from "./harness.ts";

describe("resources through talosctl get", () => {
  let cluster: TestCluster;
  let node: string;
  before(async () => {
    cluster = await startCluster(43, 1);
    node = cluster.nodes[0]?.address ?? "";
  });
  after(() => cluster?.cleanup());

  it("get rd lists the resource definitions as a table", async () => {
    const r = await cluster.talosctl(["-e", node, "-n", node, "get", "rd"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.match(lines[0] ?? "", /^NODE +NAMESPACE +TYPE +ID +VERSION$/);
    for (const id of [
      "hostnamestatuses.net.talos.dev",
      "members.cluster.talos.dev",
      "resourcedefinitions.meta.cosi.dev",
    ]) {
      assert.ok(
        lines.some((l) => l.includes(` ResourceDefinition `) && l.includes(id)),
        `${id} missing:\n${r.stdout}`,
      );
    }
    // A definition by alias, in YAML, with its derived aliases.
    const one = await cluster.talosctl([
      "-e",
      node,
      "-n",
      node,
      "get",
      "rd",
      "members.cluster.talos.dev",
      "-o",
      "yaml",
    ]);
    assert.equal(one.code, 0, one.stderr);
    const doc = parseAllDocuments(one.stdout)[0]?.toJS();
    assert.deepEqual(doc.spec.aliases, ["member"]);
    assert.equal(doc.spec.displayType, "Member");
  });

  it("get machineconfig -o yaml shows the config the node runs", async () => {
    const r = await cluster.talosctl(["-e", node, "-n", node, "get", "machineconfig", "-o", "yaml"]);
    assert.equal(r.code, 0, r.stderr);
    const doc = parseAllDocuments(r.stdout)[0]?.toJS();
    assert.equal(doc.node, node);
    assert.equal(doc.metadata.type, "MachineConfigs.config.talos.dev");
    assert.equal(doc.metadata.id, "v1alpha1");
    assert.equal(doc.spec.machine.type, "controlplane");
    assert.equal(doc.spec.cluster.clusterName, "test");
  });

  it("get members and get hostname by alias print Talos's columns", async () => {
    const m = await cluster.talosctl(["-e", node, "-n", node, "get", "members"]);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /^NODE +NAMESPACE +TYPE +ID +VERSION +HOSTNAME +MACHINE TYPE +OS +ADDRESSES\n/);
    assert.match(
      m.stdout,
      new RegExp(`cluster +Member .* controlplane +Talos \\(v1\\.6\\.7\\) +\\["${node.replaceAll(".", "\\.")}"\\]`),
    );
    const unknown = await cluster.talosctl(["-e", node, "-n", node, "get", "nosuchthing"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /resource type "nosuchthing" is not registered/);
  });

  it("the other resources the guides read: addresses, certsans, identity, affiliates, nodename", async () => {
    const get = async (...args: string[]) => {
      const r = await cluster.talosctl(["-e", node, "-n", node, "get", ...args]);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    const esc = node.replaceAll(".", "\\.");
    assert.match(await get("addresses"), new RegExp(`network +AddressStatus +lo/${esc}/8 +\\d+ +${esc}/8 +lo\\n`));
    const sans = parseAllDocuments(await get("certsans", "api", "-o", "yaml"))[0]?.toJS();
    assert.deepEqual(sans.spec.ips, [node]);
    assert.deepEqual(sans.spec.dnsNames, [`talos-${node.replaceAll(".", "-")}`]);
    const id = parseAllDocuments(await get("identity", "-o", "yaml"))[0]?.toJS();
    assert.match(id.spec.nodeId, /^[0-9A-Za-z]{40,}$/);
    assert.match(await get("affiliates"), new RegExp(`cluster +Affiliate +${id.spec.nodeId} +\\d+ +talos-`));
    assert.match(await get("nodename"), /k8s +Nodename +nodename +\d+ +talos-/);
    for (const type of ["staticpods", "manifests", "etcdmembers", "machinestatus", "services"]) await get(type);
    const config = parseAllDocuments(await get("discoveryconfig", "-o", "yaml"))[0]?.toJS();
    assert.equal(config.spec.discoveryEnabled, true);
    assert.equal(config.spec.serviceEndpoint, "discovery.talos.dev:443");
    assert.equal(config.spec.serviceEndpointInsecure, false);
    assert.equal(Buffer.from(config.spec.serviceEncryptionKey, "base64").length, 32);
    assert.match(
      await get("info"),
      new RegExp(`cluster +Info +current +\\d+ +${config.spec.serviceClusterID} +test\\n`),
    );
  });

  it("get hostname --watch shows the current hostname, then the change made by apply-config", async () => {
    const watcher = spawn(
      process.execPath,
      [
        join(repoRoot, "dist/talosctl.mjs"),
        "--talosconfig",
        cluster.talosconfig,
        "-e",
        node,
        "-n",
        node,
        "get",
        "hostname",
        "--watch",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    watcher.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const waitFor = async (re: RegExp) => {
      const deadline = Date.now() + 10_000;
      while (!re.test(out)) {
        if (Date.now() > deadline) throw new Error(`watch output never matched ${re}:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await waitFor(/\+ +[\d.]+ +network +HostnameStatus +hostname +1 +talos-/);
      await writeFile(join(cluster.dir, "hostname.patch"), "machine:\n  network:\n    hostname: renamed-node\n");
      const apply = await cluster.talosctl([
        "-e",
        node,
        "-n",
        node,
        "apply-config",
        "-f",
        join(cluster.dir, "controlplane.yaml"),
        "-p",
        `@${join(cluster.dir, "hostname.patch")}`,
      ]);
      assert.equal(apply.code, 0, apply.stderr);
      assert.equal(apply.stdout, "Applied configuration without a reboot\n");
      await waitFor(/\n +[\d.]+ +network +HostnameStatus +hostname +2 +renamed-node/);
    } finally {
      watcher.kill();
    }
  });
});
