// The read-only node commands (service, logs, dmesg, events, etcd tables, disks, mounts, processes,
// memory, list, read, time, containers, stats) against a fake apid, through the real CLI.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type FakeApid, startFakeApid } from "./fake-apid.ts";
import { runTalosctl } from "./harness.ts";
import { DOWN_NODE, nodeFixture, type Recorded } from "./node-fixture.ts";

const DOWN_LINE =
  `\t* ${DOWN_NODE}: rpc error: code = Unavailable desc = connection error: desc = ` +
  '"transport: Error while dialing: dial tcp 10.5.0.9:50000: connect: connection refused"';

describe("talosctl node information commands", { concurrency: 8 }, () => {
  let apid: FakeApid;
  const rec: Recorded = {};
  const run = (nodes: string, ...args: string[]) =>
    runTalosctl(["--talosconfig", apid.talosconfig, "-n", nodes, ...args], { cwd: apid.dir });

  before(async () => {
    apid = await startFakeApid({ routes: nodeFixture(rec) });
  });
  after(async () => apid.close());

  it("service lists every node's services, and one unreachable node fails the command after the table", async () => {
    const r = await run(`10.5.0.2,${DOWN_NODE}`, "service");
    assert.equal(
      r.stdout,
      "NODE       SERVICE   STATE       HEALTH   LAST CHANGE   LAST EVENT\n" +
        "10.5.0.2   apid      Running     OK       1m5s ago      Health check successful\n" +
        "10.5.0.2   etcd      Preparing   ?        5s ago        Running pre state\n",
    );
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: 1 error occurred:\n${DOWN_LINE}\n`);
    // The call went out once, fanned out through `nodes` metadata.
    const call = apid.calls.find((c) => c.path === "/machine.MachineService/ServiceList");
    assert.ok(call);
  });

  it("service fails with Talos's wording when every node failed, and without nodes", async () => {
    const r = await run(DOWN_NODE, "service");
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, `error: error listing services: 1 error occurred:\n${DOWN_LINE}\n`);
    const none = await runTalosctl(["--talosconfig", apid.talosconfig, "service"], { cwd: apid.dir });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^error: nodes are not set for the command: please use `--nodes` flag/);
  });

  it("service <id> shows the detail view with events newest first", async () => {
    const r = await run("10.5.0.2", "service", "apid");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "NODE     10.5.0.2\n" +
        "ID       apid\n" +
        "STATE    Running\n" +
        "HEALTH   OK\n" +
        "EVENTS   [Running]: Health check successful (1m5s ago)\n" +
        "         [Starting]: Starting service (1h2m5s ago)\n",
    );
    const missing = await run("10.5.0.2", "service", "nope");
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: service "nope" is not registered on any nodes\n');
  });

  it("service <id> start|restart prints each node's response; unknown actions are refused", async () => {
    const r = await run("10.5.0.2,10.5.0.3", "service", "kubelet", "restart");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'NODE       RESPONSE\n10.5.0.2   Service "kubelet" restarted\n10.5.0.3   Service "kubelet" restarted\n',
    );
    const bad = await run("10.5.0.2", "service", "kubelet", "bounce");
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'error: unsupported service action: "bounce"\n');
  });

  it("logs re-assembles lines per node and prefixes them with the node", async () => {
    const r = await run("10.5.0.2,10.5.0.3", "logs", "kubelet", "--tail", "20");
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    for (const node of ["10.5.0.2", "10.5.0.3"]) {
      assert.deepEqual(
        lines.filter((l) => l.startsWith(`${node}: `)),
        [`${node}: kubelet line one`, `${node}: kubelet line two`, `${node}: last without newline`],
      );
    }
    const down = await run(`10.5.0.2,${DOWN_NODE}`, "logs", "-k", "coredns");
    assert.equal(down.code, 1);
    assert.match(down.stdout, /^10\.5\.0\.2: coredns line one\n/);
    assert.match(down.stderr, /^ERROR: rpc error: code = Unavailable desc = connection error/);
    assert.match(down.stderr, /error: 1 error occurred:\n 10\.5\.0\.9: rpc error: code = Unavailable/);
  });

  it("dmesg prints each kernel message with its node", async () => {
    const r = await run("10.5.0.2", "dmesg");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "10.5.0.2: kern:    info: [2024-01-02T03:04:05.000000006Z]: hello\n");
  });

  it("events prints NODE ID EVENT / ACTOR SOURCE MESSAGE rows and skips unsupported payloads", async () => {
    const r = await run("10.5.0.2", "events", "--tail", "5", "--actor-id", "abc", "--duration", "1m30s");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "NODE       ID                     EVENT   ACTOR   SOURCE   MESSAGE\n" +
        "10.5.0.2   cmn3aq1p8ud4k6j0n2kg   talos/runtime/machine.ServiceStateEvent\n" +
        "           etcd                   RUNNING: Health check successful\n" +
        "10.5.0.2                               cmn3aq1p8ud4k6j0n2l0   talos/runtime/machine.MachineStatusEvent\n" +
        "8d47a8e1-7f56-4d8e-b8f6-6b6d2e3c1a00   RUNNING                ready: false, unmet conditions: [time]\n",
    );
  });

  it("etcd members, status and alarm list print Talos's tables", async () => {
    const members = await run("10.5.0.2", "etcd", "members");
    assert.equal(members.code, 0, members.stderr);
    assert.equal(
      members.stdout,
      "NODE       ID                 HOSTNAME     PEER URLS                                      CLIENT URLS             LEARNER\n" +
        "10.5.0.2   2a6f3c1bd4e5f607   talos-cp-1   https://10.5.0.2:2380                          https://10.5.0.2:2379   false\n" +
        "10.5.0.2   000000000000003f   talos-cp-2   https://10.5.0.3:2380,https://[fd00::3]:2380   https://10.5.0.3:2379   true\n",
    );
    const status = await run(`10.5.0.2,10.5.0.3,${DOWN_NODE}`, "etcd", "status");
    assert.equal(status.code, 1);
    assert.equal(
      status.stdout,
      "NODE       MEMBER             DB SIZE   IN USE            LEADER             RAFT INDEX   RAFT TERM   RAFT APPLIED INDEX   LEARNER   ERRORS\n" +
        "10.5.0.2   2a6f3c1bd4e5f607   20 MB     5.1 MB (25.00%)   2a6f3c1bd4e5f607   1234         2           1234                 false     \n" +
        "10.5.0.3   000000000000003f   20 MB     5.1 MB (25.00%)   2a6f3c1bd4e5f607   1234         2           1234                 false     \n",
    );
    assert.equal(status.stderr, `error: 1 error occurred:\n${DOWN_LINE}\n`);
    const alarms = await run("10.5.0.2", "etcd", "alarm", "list");
    assert.equal(alarms.stdout, "NODE       MEMBER             ALARM\n10.5.0.2   000000000000003f   NOSPACE\n");
  });

  it("disks, mounts and time print their tables", async () => {
    const disks = await run("10.5.0.2", "disks");
    assert.equal(disks.code, 0, disks.stderr);
    assert.equal(
      disks.stdout,
      "NODE       DEV        MODEL           SERIAL   TYPE   UUID   WWID   MODALIAS   NAME   SIZE    BUS_PATH                   SUBSYSTEM          READ_ONLY   SYSTEM_DISK\n" +
        "10.5.0.2   /dev/sda   QEMU HARDDISK   -        HDD    -      -      -          -      11 GB   /pci0000:00/0000:00:05.0   /sys/class/block               *\n",
    );
    const mounts = await run("10.5.0.2", "mounts");
    assert.equal(
      mounts.stdout,
      "NODE       FILESYSTEM   SIZE(GB)   USED(GB)   AVAILABLE(GB)   PERCENT USED   MOUNTED ON\n" +
        "10.5.0.2   /dev/sda6    10.00      2.50       7.50            25.00%         /var\n",
    );
    const time = await run("10.5.0.2", "time");
    assert.equal(
      time.stdout,
      "NODE       NTP-SERVER            MACHINE-TIME                        NTP-SERVER-TIME\n" +
        "10.5.0.2   time.cloudflare.com   2024-01-02 03:04:05.123 +0000 UTC   2024-01-02 03:04:05 +0000 UTC\n",
    );
  });

  it("processes (ps) sorts by RSS, memory (mem) prints MiB", async () => {
    const ps = await run("10.5.0.2", "ps");
    assert.equal(ps.code, 0, ps.stderr);
    assert.equal(
      ps.stdout,
      "NODE      PID   STATE  THREADS  CPU-TIME  VIRTMEM  RESMEM  COMMAND\n" +
        "10.5.0.2  2001  S      30       99.12     800 MB   120 MB  /usr/local/bin/etcd --data-dir=/var/lib/etcd\n" +
        "10.5.0.2  1     S      12       12.50     1.5 GB   90 MB   \n",
    );
    const cpu = await run("10.5.0.2", "processes", "--sort", "cpu");
    assert.match(cpu.stdout, /\n10\.5\.0\.2 {2}2001 /);
    const mem = await run("10.5.0.2", "mem");
    assert.equal(
      mem.stdout,
      "NODE       TOTAL   USED   FREE   SHARED   BUFFERS   CACHE   AVAILABLE\n" +
        "10.5.0.2   3906    1953   976    10       97        878     2929\n",
    );
    const verbose = await run("10.5.0.2", "memory", "-v");
    assert.match(verbose.stdout, /^NODE: 10\.5\.0\.2\nMemTotal: 4000000 kB\nMemFree: 1000000 kB\n/);
    assert.match(verbose.stdout, /\nHugePagesTotal: 0\n[\s\S]*\nHugepagesize: 2048 kB\n/);
  });

  it("list (ls) prints names, or with -l modes, owners, sizes and link targets", async () => {
    const ls = await run("10.5.0.2", "ls", "/etc");
    assert.equal(ls.code, 0, ls.stderr);
    assert.equal(ls.stdout, "NODE       NAME\n10.5.0.2   .\n10.5.0.2   hosts\n10.5.0.2   resolv.conf\n");
    const long = await run("10.5.0.2", "list", "-l", "-H", "/etc");
    assert.equal(long.code, 0, long.stderr);
    const rows = long.stdout.trimEnd().split("\n");
    assert.match(rows[0] ?? "", /^NODE +MODE +UID +GID +SIZE\(B\) +LASTMOD +NAME$/);
    assert.match(rows[1] ?? "", /^10\.5\.0\.2 +drwxr-xr-x +0 +0 +4\.1 kB +\S.* ago +\.$/);
    assert.match(rows[3] ?? "", /Lrwxrwxrwx +0 +0 +21 B .* resolv\.conf -> \/system\/resolved\/resolv\.conf$/);
    const badType = await run("10.5.0.2", "ls", "-t", "x");
    assert.equal(badType.code, 1);
    assert.equal(badType.stderr, "error: invalid file type: x\n");
  });

  it("read (cat) streams one node's file, refuses several nodes, reports a node's error", async () => {
    const r = await run("10.5.0.2", "cat", "/etc/os-release");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "NAME=Talos\nID=talos\n");
    const many = await run("10.5.0.2,10.5.0.3", "read", "/etc/os-release");
    assert.equal(many.code, 1);
    assert.equal(many.stderr, 'error: command "read" is not supported with multiple nodes\n');
    const missing = await run("10.5.0.2", "read", "/missing");
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      "error: 1 error occurred:\n 10.5.0.2: rpc error: code = Unknown desc = open /missing: no such file or directory\n",
    );
  });

  it("containers (c) and stats sort by ID", async () => {
    const c = await run("10.5.0.2", "c");
    assert.equal(c.code, 0, c.stderr);
    assert.equal(
      c.stdout,
      "NODE       NAMESPACE   ID       IMAGE                              PID   STATUS\n" +
        "10.5.0.2   system      apid     ghcr.io/siderolabs/apid:v1.6.7     200   RUNNING\n" +
        "10.5.0.2   system      trustd   ghcr.io/siderolabs/trustd:v1.6.7   300   RUNNING\n",
    );
    const stats = await run("10.5.0.2", "stats", "-k");
    assert.equal(
      stats.stdout,
      "NODE       NAMESPACE   ID     MEMORY(MB)   CPU\n10.5.0.2   system      apid   25.50        123456789\n",
    );
  });
});
