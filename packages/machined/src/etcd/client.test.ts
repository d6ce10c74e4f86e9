// The etcd client against a real etcd (/usr/bin/etcd, 3.4 on the build machines) with mutual TLS on loopback,
// certificates from a fresh etcd CA as Talos issues them. Skipped only when etcd is not installed.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { etcd } from "@talos/machinery/api";
import { createCertificateAuthority, issueCertificate } from "@talos/machinery/secrets";
import { createEtcdClient, type EtcdClient } from "./client.ts";
import { formatMemberId } from "./member-id.ts";

const ETCD = "/usr/bin/etcd";
const ETCDCTL = "/usr/bin/etcdctl";
const skip = existsSync(ETCD) ? false : `${ETCD} is not installed (Debian etcd-server): skipping the real-etcd tests`;

/** A free TCP port on 127.0.0.1 (never etcd's 2379/2380: other etcds may run on this machine). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const address = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function waitFor<T>(what: string, fn: () => Promise<T>, log: () => string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${what}: ${String(e)}\netcd log:\n${log()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe("etcd client against a real etcd (TLS)", { skip, timeout: 120_000 }, () => {
  let dir = "";
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = "";
  let clientUrl = "";
  let files: { ca: string; cert: string; key: string } = { ca: "", cert: "", key: "" };
  let client: EtcdClient;
  let memberId = 0n;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "talos-etcd-client-"));
    const ca = await createCertificateAuthority({
      keyAlgorithm: "ecdsa",
      organization: ["etcd"],
      lifetimeMs: 3600_000,
    });
    // Talos's etcd server and peer certificates are for both server and client auth (peers dial each other).
    const server = await issueCertificate(ca, {
      commonName: "etcd-test",
      ipAddresses: ["127.0.0.1"],
      dnsNames: ["localhost"],
      keyUsage: ["digitalSignature", "keyEncipherment"],
      extKeyUsage: ["serverAuth", "clientAuth"],
    });
    const peer = await issueCertificate(ca, {
      commonName: "etcd-test",
      ipAddresses: ["127.0.0.1"],
      keyUsage: ["digitalSignature", "keyEncipherment"],
      extKeyUsage: ["serverAuth", "clientAuth"],
    });
    const admin = await issueCertificate(ca, {
      commonName: "machined",
      keyUsage: ["digitalSignature"],
      extKeyUsage: ["clientAuth"],
    });
    assert.match(admin.key, /BEGIN EC PRIVATE KEY/);
    const write = (name: string, text: string) => writeFile(join(dir, name), text, { mode: 0o600 });
    await Promise.all([
      write("ca.crt", ca.crt),
      write("server.crt", server.crt),
      write("server.key", server.key),
      write("peer.crt", peer.crt),
      write("peer.key", peer.key),
      write("admin.crt", admin.crt),
      write("admin.key", admin.key),
    ]);
    files = { ca: join(dir, "ca.crt"), cert: join(dir, "admin.crt"), key: join(dir, "admin.key") };

    const clientPort = await freePort();
    let peerPort = await freePort();
    while (peerPort === clientPort) peerPort = await freePort();
    clientUrl = `https://127.0.0.1:${clientPort}`;
    const peerUrl = `https://127.0.0.1:${peerPort}`;
    const args = [
      "--name=test",
      `--data-dir=${join(dir, "data")}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=test=${peerUrl}`,
      "--initial-cluster-state=new",
      `--initial-cluster-token=test-${clientPort}`,
      `--cert-file=${join(dir, "server.crt")}`,
      `--key-file=${join(dir, "server.key")}`,
      `--trusted-ca-file=${files.ca}`,
      "--client-cert-auth",
      `--peer-cert-file=${join(dir, "peer.crt")}`,
      `--peer-key-file=${join(dir, "peer.key")}`,
      `--peer-trusted-ca-file=${files.ca}`,
      "--peer-client-cert-auth",
      "--logger=zap",
      "--log-outputs=stderr",
    ];
    // A clean environment: etcd refuses to start when an ETCD_* variable duplicates a flag.
    const child = spawn(ETCD, args, { env: {}, stdio: ["ignore", "pipe", "pipe"] });
    proc = child;
    exited = new Promise((resolve) => child.once("exit", () => resolve()));
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString("utf8")).slice(-20_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);

    client = createEtcdClient({
      endpoints: [clientUrl],
      ca: ca.crt,
      cert: admin.crt,
      key: admin.key,
      dialTimeoutMs: 2_000,
    });
    const st = await waitFor(
      "etcd did not become ready",
      () => client.status({ timeoutMs: 2_000 }),
      () => log,
    );
    memberId = st.memberId;
  });

  after(async () => {
    client?.close();
    if (proc !== undefined && proc.exitCode === null) {
      proc.kill("SIGTERM");
      const killed = setTimeout(() => proc?.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killed);
    }
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  test("memberList: the one member, with its client URL", async () => {
    const members = await client.memberList();
    assert.equal(members.length, 1);
    const m = members[0]!;
    assert.equal(m.id, memberId);
    assert.equal(m.name, "test");
    assert.deepEqual(m.clientUrls, [clientUrl]);
    assert.equal(m.isLearner, false);
    assert.match(formatMemberId(m.id), /^[0-9a-f]{16}$/);
  });

  test("put/get", async () => {
    const rev = await client.put("/talos/test", "hello");
    assert.ok(rev > 0n);
    const kv = await client.get("/talos/test");
    assert.ok(kv !== undefined);
    assert.equal(Buffer.from(kv.value).toString(), "hello");
    assert.equal(kv.modRevision, rev);
    assert.equal(kv.version, 1n);
    assert.equal(await client.get("/talos/missing"), undefined);
  });

  test("status: version, leader (itself), sizes", async () => {
    const st = await client.status();
    assert.equal(st.endpoint, clientUrl);
    assert.match(st.version, /^3\.\d+\.\d+/);
    assert.equal(st.leader, memberId);
    assert.ok(st.dbSize > 0n);
    assert.ok(st.dbSizeInUse > 0n && st.dbSizeInUse <= st.dbSize);
    assert.ok(st.raftIndex > 0n);
    assert.equal(st.isLearner, false);
    assert.deepEqual(st.errors, []);
  });

  test("alarms: list, a raised NOSPACE blocks writes, alarmDisarm clears it", async () => {
    assert.deepEqual(await client.alarmList(), []);
    assert.deepEqual(await client.alarmDisarm(), []);

    // Raise NOSPACE by hand (as etcd does when the quota is hit) through the raw generated client.
    const raw = createClient(
      etcd.Maintenance,
      createGrpcTransport({
        baseUrl: clientUrl,
        nodeOptions: {
          ca: await readFile(files.ca, "utf8"),
          cert: await readFile(files.cert, "utf8"),
          key: await readFile(files.key, "utf8"),
        },
      }),
    );
    await raw.alarm({
      action: etcd.AlarmRequest_AlarmAction.ACTIVATE,
      memberID: memberId,
      alarm: etcd.AlarmType.NOSPACE,
    });
    assert.deepEqual(await client.alarmList(), [{ memberId, alarm: etcd.AlarmType.NOSPACE }]);
    await assert.rejects(client.put("/talos/blocked", "x"), (e: unknown) => {
      assert.ok(e instanceof ConnectError);
      assert.equal(e.code, Code.ResourceExhausted);
      assert.match(e.rawMessage, /database space exceeded/);
      return true;
    });

    assert.deepEqual(await client.alarmDisarm(), [{ memberId, alarm: etcd.AlarmType.NOSPACE }]);
    assert.deepEqual(await client.alarmList(), []);
    await client.put("/talos/blocked", "x");
  });

  test("memberAdd as learner, memberPromote refused, moveLeader, memberUpdate, memberRemove", async () => {
    const peer = `https://127.0.0.1:${await freePort()}`;
    const { member, members } = await client.memberAdd([peer], { learner: true });
    assert.ok(member.id !== 0n && member.id !== memberId);
    assert.equal(member.isLearner, true);
    assert.equal(member.name, "", "not started yet");
    assert.deepEqual(member.clientUrls, []);
    assert.deepEqual(member.peerUrls, [peer]);
    assert.deepEqual(members.map((m) => m.id).sort(), [memberId, member.id].sort());

    const listed = (await client.memberList()).find((m) => m.id === member.id);
    assert.equal(listed?.isLearner, true);

    // A learner that never started has not caught up with the leader: etcd refuses to promote it.
    await assert.rejects(client.memberPromote(member.id), (e: unknown) => {
      assert.ok(e instanceof ConnectError);
      assert.equal(e.code, Code.FailedPrecondition);
      assert.match(e.rawMessage, /in sync with leader/);
      return true;
    });

    // A learner cannot lead; handing leadership to the leader itself is a no-op.
    await assert.rejects(client.moveLeader(member.id, { timeoutMs: 10_000 }), (e: unknown) => {
      assert.ok(e instanceof ConnectError);
      assert.equal(e.code, Code.FailedPrecondition);
      assert.match(e.rawMessage, /bad leader transferee/);
      return true;
    });
    await assert.rejects(client.moveLeader(12345n, { timeoutMs: 10_000 }), /bad leader transferee/);
    await client.moveLeader(memberId, { timeoutMs: 10_000 });

    // Updating a learner would make etcd forget that it is one; a voting member's update goes through.
    await assert.rejects(client.memberUpdate(member.id, [peer]), /is a learner/);
    const self = (await client.memberList()).find((m) => m.id === memberId)!;
    const updated = await client.memberUpdate(memberId, self.peerUrls);
    assert.deepEqual(updated.find((m) => m.id === memberId)?.peerUrls, self.peerUrls);

    const left = await client.memberRemove(member.id, { timeoutMs: 10_000 });
    assert.deepEqual(
      left.map((m) => m.id),
      [memberId],
    );
    assert.deepEqual(
      (await client.memberList()).map((m) => m.id),
      [memberId],
    );
  });

  test("defragment", async () => {
    await client.defragment();
    const st = await client.status();
    assert.ok(st.dbSizeInUse <= st.dbSize);
  });

  test("snapshot: the bolt file plus its SHA-256, accepted by etcdctl snapshot status", async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of client.snapshot()) chunks.push(chunk);
    const data = Buffer.concat(chunks);
    // etcd appends sha256(db) to the stream; etcdctl checks it (the file is a multiple of the page size + 32).
    assert.equal(data.length % 512, 32);
    const body = data.subarray(0, data.length - 32);
    assert.deepEqual(createHash("sha256").update(body).digest(), data.subarray(data.length - 32));

    const file = join(dir, "snapshot.db");
    await writeFile(file, data);
    assert.equal((await stat(file)).size, data.length);
    const { stdout } = await promisify(execFile)(ETCDCTL, ["snapshot", "status", file, "-w", "json"], {
      env: { ETCDCTL_API: "3" },
    });
    const status = JSON.parse(stdout) as { hash: number; revision: number; totalKey: number; totalSize: number };
    assert.equal(status.totalSize, body.length);
    assert.ok(status.totalKey >= 2, "holds the keys written above");
    assert.ok(status.revision > 0);
  });

  test("failover: an unreachable first endpoint is skipped; status asks the first endpoint only", async () => {
    const dead = `https://127.0.0.1:${await freePort()}`;
    const c = createEtcdClient({
      endpoints: [dead, clientUrl],
      ca: await readFile(files.ca, "utf8"),
      cert: await readFile(files.cert, "utf8"),
      key: await readFile(files.key, "utf8"),
      dialTimeoutMs: 2_000,
    });
    try {
      assert.deepEqual(
        (await c.memberList()).map((m) => m.id),
        [memberId],
      );
      assert.equal(Buffer.from((await c.get("/talos/test"))?.value ?? []).toString(), "hello");
      await assert.rejects(c.status(), (e: unknown) => {
        assert.ok(e instanceof ConnectError);
        assert.equal(e.code, Code.Unavailable);
        assert.ok(e.rawMessage.startsWith(dead), e.rawMessage);
        return true;
      });
      const chunks: Uint8Array[] = [];
      for await (const chunk of c.snapshot()) chunks.push(chunk);
      assert.ok(chunks.length > 0);
    } finally {
      c.close();
    }
  });
});

test("dial timeout: an endpoint that accepts TCP but never answers TLS fails as Unavailable", async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((s) => sockets.add(s));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const { port } = silent.address() as AddressInfo;
  const c = createEtcdClient({
    endpoints: [`https://127.0.0.1:${port}`],
    ca: "",
    cert: "",
    key: "",
    dialTimeoutMs: 200,
  });
  try {
    await assert.rejects(c.memberList(), (e: unknown) => {
      assert.ok(e instanceof ConnectError);
      assert.equal(e.code, Code.Unavailable);
      assert.match(e.rawMessage, /no connection within 200 ms/);
      return true;
    });
    const aborted = new AbortController();
    setTimeout(() => aborted.abort(), 50);
    await assert.rejects(c.put("k", "v", { signal: aborted.signal }), (e: unknown) => {
      assert.ok(e instanceof ConnectError);
      assert.equal(e.code, Code.Canceled);
      return true;
    });
  } finally {
    c.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});
