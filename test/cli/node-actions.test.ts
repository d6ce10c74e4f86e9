// The node-changing commands (bootstrap, etcd maintenance, reboot, shutdown, reset, upgrade) against a
// fake apid, through the real CLI: the requests they send and what they print.
import assert from "node:assert/strict";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type FakeApid, startFakeApid } from "./fake-apid.ts";
import { runTalosctl } from "./harness.ts";
import { DOWN_NODE, nodeFixture, type Recorded, SNAPSHOT } from "./node-fixture.ts";

describe("talosctl node actions", () => {
  let apid: FakeApid;
  let oldApid: FakeApid;
  const rec: Recorded = {};
  const run = (nodes: string, ...args: string[]) =>
    runTalosctl(["--talosconfig", apid.talosconfig, "-n", nodes, ...args], { cwd: apid.dir });

  before(async () => {
    apid = await startFakeApid({ routes: nodeFixture(rec) });
    oldApid = await startFakeApid({ routes: nodeFixture({}, { serverTag: "v1.5.3" }) });
  });
  after(async () => {
    await apid.close();
    await oldApid.close();
  });

  it("bootstrap refuses several nodes, uploads a snapshot with --recover-from, then bootstraps", async () => {
    const many = await run("10.5.0.2,10.5.0.3", "bootstrap");
    assert.equal(many.code, 1);
    assert.equal(many.stderr, 'error: command "bootstrap" is not supported with multiple nodes\n');

    await writeFile(join(apid.dir, "db.snapshot"), SNAPSHOT);
    const r = await run("10.5.0.2", "bootstrap", "--recover-from", "db.snapshot", "--recover-skip-hash-check");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(rec.recoverBytes, SNAPSHOT.length);
    assert.deepEqual(
      { recoverEtcd: (rec.bootstrap as any).recoverEtcd, skip: (rec.bootstrap as any).recoverSkipHashCheck },
      { recoverEtcd: true, skip: true },
    );

    const missing = await run("10.5.0.2", "bootstrap", "--recover-from", "nope.db");
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, "error: error opening snapshot file: open nope.db: no such file or directory\n");

    const down = await run(DOWN_NODE, "bootstrap");
    assert.equal(down.code, 1);
    assert.match(
      down.stderr,
      /^error: error executing bootstrap: 1 error occurred:\n\t\* 10\.5\.0\.9: rpc error: code = Unavailable/,
    );
  });

  it("etcd remove-member tries the hex member ID first and falls back to the hostname on NotFound", async () => {
    const byId = await run("10.5.0.2", "etcd", "remove-member", "3f");
    assert.equal(byId.code, 0, byId.stderr);
    assert.equal(rec.removeById, 0x3fn);
    assert.equal(rec.removeByName, undefined);

    const fallback = await run("10.5.0.2", "etcd", "remove-member", "cafe");
    assert.equal(fallback.code, 0, fallback.stderr);
    assert.equal(rec.removeById, 0xcafen);
    assert.equal(rec.removeByName, "cafe");

    rec.removeById = undefined;
    const byName = await run("10.5.0.2", "etcd", "remove-member", "talos-cp-2");
    assert.equal(byName.code, 0, byName.stderr);
    assert.equal(rec.removeById, undefined);
    assert.equal(rec.removeByName, "talos-cp-2");
  });

  it("etcd snapshot streams to a temp file, renames it and reports the size", async () => {
    const r = await run("10.5.0.2", "etcd", "snapshot", "backup.db");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `etcd snapshot saved to "backup.db" (${SNAPSHOT.length} bytes)\n`);
    assert.deepEqual(new Uint8Array(await readFile(join(apid.dir, "backup.db"))), SNAPSHOT);
    assert.equal((await stat(join(apid.dir, "backup.db"))).mode & 0o777, 0o600);
    assert.ok(!(await readdir(apid.dir)).includes("backup.db.part"));

    const down = await run(DOWN_NODE, "etcd", "snapshot", "down.db");
    assert.equal(down.code, 1);
    assert.ok(!(await readdir(apid.dir)).some((f) => f.startsWith("down.db")));
  });

  it("etcd defrag and leave refuse several nodes; forfeit-leadership and alarm disarm fan out", async () => {
    for (const sub of ["defrag", "leave"]) {
      const r = await run("10.5.0.2,10.5.0.3", "etcd", sub);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `error: command "etcd ${sub}" is not supported with multiple nodes\n`);
    }
    const forfeit = await run(`10.5.0.2,${DOWN_NODE}`, "etcd", "forfeit-leadership");
    assert.equal(forfeit.code, 1);
    assert.match(forfeit.stderr, /^error: 1 error occurred:\n\t\* 10\.5\.0\.9: /);
    const disarm = await run("10.5.0.2,10.5.0.3", "etcd", "alarm", "disarm");
    assert.equal(disarm.code, 0, disarm.stderr);
    assert.equal(
      disarm.stdout,
      "NODE       MEMBER             ALARM\n10.5.0.2   000000000000003f   NOSPACE\n10.5.0.3   000000000000003f   NOSPACE\n",
    );
  });

  it("reboot sends the mode, checks the servers' versions and notes that --wait is not implemented", async () => {
    const r = await run("10.5.0.2", "reboot", "--mode", "powercycle");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((rec.reboot as any).mode, 1);
    assert.match(r.stderr, /^note: --wait is not implemented yet: the reboot request was accepted/);
    assert.match(r.stderr, /\t10\.5\.0\.2: actor ID actor-10\.5\.0\.2\n$/);

    const quiet = await run("10.5.0.2", "reboot", "--wait=false");
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout + quiet.stderr, "");
    assert.equal((rec.reboot as any).mode, 0);

    const bad = await run("10.5.0.2", "reboot", "-m", "hard");
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'error: invalid reboot mode: "hard"\n');

    const old = await runTalosctl(["--talosconfig", oldApid.talosconfig, "-n", "10.5.0.2", "reboot", "--wait=false"], {
      cwd: oldApid.dir,
    });
    assert.equal(old.code, 0, old.stderr);
    assert.equal(old.stderr, "WARNING: 10.5.0.2: server version 1.5.3 is older than client version 1.6.7\n");

    const partial = await run(`10.5.0.2,${DOWN_NODE}`, "reboot", "--wait=false");
    assert.equal(partial.code, 1);
    assert.match(partial.stderr, /^error: error executing reboot: 1 error occurred:\n\t\* 10\.5\.0\.9: rpc error/);
  });

  it("shutdown sends --force", async () => {
    const r = await run("10.5.0.2", "shutdown", "--force", "--wait=false");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((rec.shutdown as any).force, true);
  });

  it("reset sends graceful, reboot, wipe mode, labels and user disks; bad --wipe-mode is refused", async () => {
    const r = await run(
      "10.5.0.2",
      "reset",
      "--graceful=false",
      "--reboot",
      "--system-labels-to-wipe",
      "STATE,EPHEMERAL",
      "--wipe-mode",
      "system-disk",
      "--wait=false",
    );
    assert.equal(r.code, 0, r.stderr);
    const req = rec.reset as any;
    assert.equal(req.graceful, false);
    assert.equal(req.reboot, true);
    assert.equal(req.mode, 1);
    assert.deepEqual(
      req.systemPartitionsToWipe.map((p: any) => [p.label, p.wipe]),
      [
        ["STATE", true],
        ["EPHEMERAL", true],
      ],
    );
    const disks = await run(
      "10.5.0.2",
      "reset",
      "--wipe-mode",
      "user-disks",
      "--user-disks-to-wipe",
      "/dev/sdb",
      "--wait=false",
    );
    assert.equal(disks.code, 0, disks.stderr);
    assert.equal((rec.reset as any).graceful, true);
    assert.equal((rec.reset as any).mode, 2);
    assert.deepEqual((rec.reset as any).userDisksToWipe, ["/dev/sdb"]);

    const bad = await run("10.5.0.2", "reset", "--wipe-mode", "foo");
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /argument 'foo' is invalid\. possible options are: all, system-disk, user-disks\n$/);
  });

  it("upgrade sends the image and flags and prints NODE ACK STARTED without --wait", async () => {
    const r = await run(
      "10.5.0.2,10.5.0.3",
      "upgrade",
      "--image",
      "ghcr.io/siderolabs/installer:v1.6.8",
      "--stage",
      "--wait=false",
    );
    assert.equal(r.code, 0, r.stderr);
    const req = rec.upgrade as any;
    assert.equal(req.image, "ghcr.io/siderolabs/installer:v1.6.8");
    assert.equal(req.stage, true);
    assert.equal(req.force, false);
    const lines = r.stdout.split("\n");
    assert.match(lines[0] ?? "", /^NODE {7}ACK {24}STARTED$/);
    assert.match(
      lines[1] ?? "",
      /^10\.5\.0\.2 {3}Upgrade request received {3}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \S+ m=\+\d+\.\d{9} +$/,
    );

    const defaults = await run("10.5.0.2", "upgrade", "--wait=false", "--preserve", "--force");
    assert.equal(defaults.code, 0, defaults.stderr);
    assert.equal((rec.upgrade as any).image, "ghcr.io/siderolabs/installer:v1.6.7");
    assert.equal((rec.upgrade as any).preserve, true);

    const insecureWait = await run("10.5.0.2", "upgrade", "--insecure");
    assert.equal(insecureWait.code, 1);
    assert.equal(insecureWait.stderr, "error: cannot use --wait and --insecure together\n");
  });
});
