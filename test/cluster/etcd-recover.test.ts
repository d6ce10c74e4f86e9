// `talosctl bootstrap --recover-from`: a one-node cluster's etcd is snapshotted, the node comes back with an
// empty EPHEMERAL (a fresh state dir, same config and address), and the recovering bootstrap restores the
// data as a new single-member cluster, checked with Debian's etcdctl. Also the refusals: data present, no
// snapshot uploaded, a data-directory copy without --recover-skip-hash-check.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MachineService } from "@talos/machinery/api";
import { parse } from "yaml";
import { startCluster, type TestCluster, type TestNode, until } from "./harness.ts";

const run = promisify(execFile);

describe("bootstrap --recover-from", { timeout: 300_000 }, () => {
  let cluster: TestCluster;
  let node: TestNode;
  let address: string;
  let etcdctlFlags: string[];
  let fresh = 0;

  before(async () => {
    cluster = await startCluster(51, 1);
    node = cluster.nodes[0] as TestNode;
    address = node.address;
    // The etcd CA comes from the config, so the first node's admin certificate stays valid for its successors.
    const pki = join(node.stateDir, "system", "secrets", "etcd");
    etcdctlFlags = [
      "--endpoints",
      `https://${address}:2379`,
      "--cacert",
      join(pki, "ca.crt"),
      "--cert",
      join(pki, "admin.crt"),
      "--key",
      join(pki, "admin.key"),
    ];
  });
  after(async () => {
    // A graceful stop first: cleanup's SIGKILL would leave machined's etcd child running.
    for (const n of cluster?.nodes ?? []) await cluster.stop(n);
    await cluster?.cleanup();
  });

  const ctl = (args: string[]) => cluster.talosctl(["-e", address, "-n", address, ...args]);
  const ok = async (args: string[]) => {
    const r = await ctl(args);
    assert.equal(r.code, 0, `talosctl ${args.join(" ")}:\n${r.stderr}\nnode log:\n${current().log.slice(-4000)}`);
    return r.stdout;
  };
  const etcdctl = async (args: string[]) =>
    (await run("etcdctl", [...etcdctlFlags, ...args], { env: { ETCDCTL_API: "3" } })).stdout;
  const get = async (key: string) => (await etcdctl(["get", key, "--print-value-only"])).trim();
  const current = () => cluster.nodes.at(-1) as TestNode;

  /** Replaces the node by one with an empty state dir (same config and address), as after a wipe. */
  const replaceNode = async (): Promise<TestNode> => {
    await cluster.stop(current());
    fresh += 1;
    const next: TestNode = { ...node, stateDir: join(cluster.dir, `fresh-${fresh}`), process: undefined, log: "" };
    cluster.nodes.push(next); // so cleanup stops it
    await cluster.start(next);
    await until("apid of the fresh node", async () => ((await ctl(["version"])).code === 0 ? true : undefined));
    return next;
  };
  const etcdDataDir = (n: TestNode) => join(n.stateDir, "var", "lib", "etcd");

  it("a bootstrapped node takes writes and a snapshot; a recovering bootstrap on it is refused", async () => {
    await ok(["bootstrap"]);
    await until("etcd to take writes", async () => {
      await etcdctl(["put", "recover-me", "from-snapshot"]);
      return true;
    });
    await ok(["etcd", "snapshot", join(cluster.dir, "etcd.snapshot")]);
    // Written after the snapshot: only the data directory copy below has it.
    await etcdctl(["put", "after-snapshot", "from-data-dir"]);

    const refused = await ctl(["bootstrap", "--recover-from", join(cluster.dir, "etcd.snapshot")]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /AlreadyExists desc = etcd data directory is not empty/);
    assert.equal(await get("recover-me"), "from-snapshot");
  });

  it("on a wiped node, a recovering bootstrap without an uploaded snapshot is refused", async () => {
    const old = current();
    await cluster.stop(old);
    // A copy of the data directory's database: what one salvages from a dead node's disk (no hash appended).
    await copyFile(join(etcdDataDir(old), "member", "snap", "db"), join(cluster.dir, "datadir.db"));
    await replaceNode();

    const talosconfig = parse(await readFile(cluster.talosconfig, "utf8"));
    const ctx = talosconfig.contexts[talosconfig.context];
    const pem = (b64: string) => Buffer.from(b64, "base64").toString("utf8");
    const client = createClient(
      MachineService,
      createGrpcTransport({
        baseUrl: `https://${address}:50000`,
        nodeOptions: {
          ca: pem(ctx.ca),
          cert: pem(ctx.crt),
          key: pem(ctx.key).replaceAll("ED25519 PRIVATE KEY", "PRIVATE KEY"),
        },
      }),
    );
    await assert.rejects(client.bootstrap({ recoverEtcd: true }), (e: unknown) => {
      assert.ok(e instanceof ConnectError);
      assert.equal(e.code, Code.FailedPrecondition);
      assert.match(e.rawMessage, /no etcd snapshot was uploaded to recover from/);
      return true;
    });
  });

  it("a data directory copy is refused without --recover-skip-hash-check; etcd keeps waiting to join", async () => {
    const r = await ctl(["bootstrap", "--recover-from", join(cluster.dir, "datadir.db")]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /FailedPrecondition desc = error recovering from the snapshot: snapshot missing hash but --skip-hash-check=false/,
    );
    assert.deepEqual(await readdir(etcdDataDir(current())), []);
    const service = await ok(["service", "etcd"]);
    assert.doesNotMatch(service, /STATE +(Failed|Running)/);
  });

  it("bootstrap --recover-from restores the snapshot as a single-member cluster of this node", async () => {
    await ok(["bootstrap", "--recover-from", join(cluster.dir, "etcd.snapshot")]);
    assert.equal(
      await until("the recovered key", () => get("recover-me").then((v) => v || undefined)),
      "from-snapshot",
    );
    assert.equal(await get("after-snapshot"), "");

    const hostname = (await ok(["get", "hostname", "-o", "jsonpath={.spec.hostname}"])).trim();
    const members = JSON.parse(await etcdctl(["member", "list", "-w", "json"])).members;
    assert.equal(members.length, 1);
    assert.equal(members[0].name, hostname);
    assert.deepEqual(members[0].peerURLs, [`https://${address}:2380`]);
    // The upload is consumed, and the node is a bootstrapped member like any other.
    assert.ok(!(await readdir(join(current().stateDir, "var", "lib"))).includes("etcd.snapshot"));
    await until("service etcd Running", async () =>
      /STATE +Running/.test(await ok(["service", "etcd"])) ? true : undefined,
    );
    const again = await ctl(["bootstrap"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /AlreadyExists desc = etcd data directory is not empty/);
  });

  it("--recover-skip-hash-check recovers from a data directory copy", async () => {
    await replaceNode();
    await ok(["bootstrap", "--recover-from", join(cluster.dir, "datadir.db"), "--recover-skip-hash-check"]);
    assert.equal(
      await until("the recovered key", () => get("after-snapshot").then((v) => v || undefined)),
      "from-data-dir",
    );
    assert.equal(await get("recover-me"), "from-snapshot");
  });
});
