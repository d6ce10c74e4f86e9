import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { etcdctlError, type RestoreOptions, restoreArgs, restoreSnapshot } from "./restore.ts";

const base: RestoreOptions = {
  etcdctl: "/usr/bin/etcdctl",
  snapshotPath: "/var/lib/etcd.snapshot",
  dataDir: "/var/lib/etcd",
  name: "cp-1",
  peerUrls: ["https://10.5.0.2:2380"],
  skipHashCheck: false,
};

test("restore args: this node as the single member, its advertised peer URLs", () => {
  assert.deepEqual(restoreArgs(base, "/var/lib/etcd.restore"), [
    "snapshot",
    "restore",
    "/var/lib/etcd.snapshot",
    "--name=cp-1",
    "--data-dir=/var/lib/etcd.restore",
    "--initial-cluster=cp-1=https://10.5.0.2:2380",
    "--initial-advertise-peer-urls=https://10.5.0.2:2380",
  ]);
});

test("restore args: hash check skipped and cluster token passed only when asked", () => {
  const args = restoreArgs({ ...base, skipHashCheck: true, clusterToken: "tok" }, "/out");
  assert.ok(args.includes("--skip-hash-check=true"));
  assert.ok(args.includes("--initial-cluster-token=tok"));
  assert.ok(!restoreArgs(base, "/out").some((a) => a.startsWith("--skip-hash-check")));
});

test("etcdctl errors: its Error: line, else the last line, else the fallback", () => {
  assert.equal(
    etcdctlError(
      '{"level":"info","msg":"restoring snapshot"}\nError: snapshot missing hash but --skip-hash-check=false\n',
      "x",
    ),
    "snapshot missing hash but --skip-hash-check=false",
  );
  assert.equal(etcdctlError("panic: boom\n\n", "x"), "panic: boom");
  assert.equal(etcdctlError("", "exit status 1"), "exit status 1");
});

describe("restoreSnapshot with Debian's etcdctl", { skip: !existsSync("/usr/bin/etcdctl") }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "etcd-restore-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("a file that is no snapshot is refused; the data dir stays empty and the upload stays", async () => {
    const snapshotPath = join(dir, "etcd.snapshot");
    const dataDir = join(dir, "etcd");
    await writeFile(snapshotPath, Buffer.alloc(4096, 7));
    await mkdir(dataDir);
    await assert.rejects(restoreSnapshot({ ...base, snapshotPath, dataDir }), /^Error: error verifying snapshot: .+/);
    assert.deepEqual(await readdir(dataDir), []);
    assert.ok(existsSync(snapshotPath));
    assert.ok(!existsSync(`${dataDir}.restore`));
  });

  test("a missing etcdctl is named", async () => {
    const snapshotPath = join(dir, "etcd.snapshot");
    await writeFile(snapshotPath, "x");
    await assert.rejects(
      restoreSnapshot({ ...base, etcdctl: join(dir, "no-etcdctl"), snapshotPath, dataDir: join(dir, "d") }),
      /no-etcdctl not found: etcdctl is needed to restore snapshots/,
    );
  });
});
