import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { ConnectRecord_State, NetstatRequest_Filter, NetstatRequestSchema } from "@talos/machinery/api";
import { formatIp, netstat, parseSocketAddress, parseSocketTable } from "./proc-netstat.ts";

test("addresses: procfs hex words → Go's net.IP strings", () => {
  const a = parseSocketAddress("0100007F:0CEA");
  assert.equal(a?.port, 3306);
  assert.equal(formatIp(a!.ip), "127.0.0.1");
  assert.equal(formatIp(parseSocketAddress("00000000000000000000000000000000:0016")!.ip), "::");
  assert.equal(formatIp(parseSocketAddress("00000000000000000000000001000000:0016")!.ip), "::1");
  assert.equal(formatIp(parseSocketAddress("0000000000000000FFFF00000100007F:0050")!.ip), "127.0.0.1");
  assert.equal(formatIp(parseSocketAddress("000080FE00000000FF0B0102030405FE:0050")!.ip), "fe80::201:bff:fe05:403");
  assert.equal(formatIp(Uint8Array.from([0x20, 1, 0xd, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1])), "2001:db8:0:1::1");
  assert.equal(
    formatIp(Uint8Array.from([0x20, 1, 0xd, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1])),
    "2001:db8:0:1:1:1:1:1",
  );
  assert.equal(parseSocketAddress("zz:1"), undefined);
});

test("socket table lines", () => {
  const [listen, est, ...rest] = parseSocketTable(
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
      "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1165 1 000000009cfacbf0 100 0 0 10 0\n" +
      "   1: 0100007F:A4E5 0100007F:07E8 01 0000000A:00000002 02:000001F4 00000003  1000        0 147119 2 ffff8880062d5640 20 4 30 10 -1\n",
    "tcp",
  );
  assert.equal(rest.length, 0);
  assert.deepEqual(
    [listen?.localip, listen?.localport, listen?.remoteip, listen?.remoteport, listen?.state, listen?.inode],
    ["0.0.0.0", 2024, "0.0.0.0", 0, ConnectRecord_State.LISTEN, 1165n],
  );
  assert.equal(listen?.l4proto, "tcp");
  assert.equal(listen?.pointer, 0x9cfacbf0n);
  assert.equal(est?.state, ConnectRecord_State.ESTABLISHED);
  assert.equal(est?.txqueue, 10n);
  assert.equal(est?.rxqueue, 2n);
  assert.equal(est?.tr, 2);
  assert.equal(est?.timerwhen, 500n);
  assert.equal(est?.retrnsmt, 3n);
  assert.equal(est?.uid, 1000);
  assert.equal(est?.ref, 2n);
  assert.equal(est?.pointer, 0xffff8880062d5640n);
  assert.equal(est?.netns, "");
  assert.deepEqual(parseSocketTable("header\n  0: garbage\n", "udp"), []);
});

test("netstat of this machine finds this process's listening socket", async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const port = (server.address() as { port: number }).port;
    const records = await netstat(
      create(NetstatRequestSchema, {
        filter: NetstatRequest_Filter.LISTENING,
        feature: { pid: true },
        l4proto: { tcp: true },
        netns: { hostnetwork: true },
      }),
    );
    const mine = records.find((r) => r.localport === port);
    assert.ok(mine, `port ${port} listed`);
    assert.equal(mine.localip, "127.0.0.1");
    assert.equal(mine.state, ConnectRecord_State.LISTEN);
    assert.equal(mine.process?.pid, process.pid);
    assert.ok(records.every((r) => r.l4proto === "tcp" && r.remoteport === 0));
    const none = await netstat(create(NetstatRequestSchema, { l4proto: { tcp: true }, netns: {} }));
    assert.deepEqual(none, [], "host network only when asked");
  } finally {
    server.close();
  }
});

test("filters, protocol selection and socket owners over a procfs fixture", async () => {
  const root = await mkdtemp(join(tmpdir(), "netstat-proc-"));
  try {
    const head = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    const line = (sl: number, local: string, remote: string, st: string, inode: number) =>
      `   ${sl}: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
    await mkdir(join(root, "net"), { recursive: true });
    await writeFile(
      join(root, "net/tcp"),
      head +
        line(0, "0232007F:C350", "00000000:0000", "0A", 501) +
        line(1, "0232007F:C351", "00000000:0000", "0A", 502) +
        line(2, "0232007F:9C40", "0232007F:C350", "01", 503),
    );
    await writeFile(
      join(root, "net/udp6"),
      head + line(0, "00000000000000000000000000000000:0035", "00000000000000000000000000000000:0000", "07", 601),
    );
    for (const t of ["tcp6", "udp", "udplite", "udplite6", "raw", "raw6"]) await writeFile(join(root, "net", t), head);
    // PID 77 holds the listeners; PID 1234 the connection and the UDP socket; PID 9 holds nothing.
    for (const [pid, comm, inodes] of [
      [77, "machined", [501, 502]],
      [1234, "etcd", [503, 601]],
      [9, "kthread", []],
    ] as const) {
      await mkdir(join(root, String(pid), "fd"), { recursive: true });
      await writeFile(join(root, String(pid), "comm"), `${comm}\n`);
      await symlink("/dev/null", join(root, String(pid), "fd", "0"));
      for (const [i, ino] of inodes.entries())
        await symlink(`socket:[${ino}]`, join(root, String(pid), "fd", `${i + 3}`));
    }
    const req = (filter: NetstatRequest_Filter, l4proto: Record<string, boolean>, pid = true) =>
      create(NetstatRequestSchema, { filter, feature: { pid }, l4proto, netns: { hostnetwork: true } });
    const show = (rs: Awaited<ReturnType<typeof netstat>>) =>
      rs.map(
        (r) =>
          `${r.l4proto} ${r.localip}:${r.localport} ${r.remoteip}:${r.remoteport} ${r.process?.pid}/${r.process?.name}`,
      );

    const all = { tcp: true, tcp6: true, udp: true, udp6: true };
    assert.deepEqual(show(await netstat(req(NetstatRequest_Filter.LISTENING, all), root)), [
      "tcp 127.0.50.2:50000 0.0.0.0:0 77/machined",
      "tcp 127.0.50.2:50001 0.0.0.0:0 77/machined",
      "udp6 :::53 :::0 1234/etcd",
    ]);
    assert.deepEqual(show(await netstat(req(NetstatRequest_Filter.CONNECTED, all), root)), [
      "tcp 127.0.50.2:40000 127.0.50.2:50000 1234/etcd",
    ]);
    assert.equal((await netstat(req(NetstatRequest_Filter.ALL, all), root)).length, 4);
    assert.deepEqual(show(await netstat(req(NetstatRequest_Filter.ALL, { udp6: true }, false), root)), [
      "udp6 :::53 :::0 0/",
    ]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
