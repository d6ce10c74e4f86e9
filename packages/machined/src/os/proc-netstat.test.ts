import assert from "node:assert/strict";
import { createServer } from "node:net";
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
