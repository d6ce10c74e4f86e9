import assert from "node:assert/strict";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import {
  ConnectRecord_State,
  ConnectRecord_TimerActive,
  NetstatRequest_Filter,
  NetstatSchema,
} from "@talos/machinery/api";
import { netstatRequest, netstatTable } from "./netstat-output.ts";

const protos = (f: Parameters<typeof netstatRequest>[0]) => {
  const l4 = netstatRequest(f).l4proto ?? {};
  return Object.entries(l4)
    .filter(([k, v]) => k !== "$typeName" && v === true)
    .map(([k]) => k)
    .sort();
};

test("flags → NetstatRequest as talosctl builds it", () => {
  assert.deepEqual(protos({}), ["tcp", "tcp6", "udp", "udp6"]);
  assert.deepEqual(protos({ tcp: true }), ["tcp", "tcp6"]);
  assert.deepEqual(protos({ tcp: true, ipv4: true }), ["tcp"]);
  assert.deepEqual(protos({ udp: true, ipv6: true }), ["udp6"]);
  assert.deepEqual(protos({ udp: true, ipv4: true, ipv6: true }), ["udp", "udp6"]);
  assert.deepEqual(protos({ udplite: true, raw: true }), ["raw", "raw6", "udplite", "udplite6"]);
  assert.deepEqual(protos({ verbose: true, ipv6: true }), ["raw6", "tcp6", "udp6", "udplite6"]);
  assert.deepEqual(protos({ ipv4: true }), ["tcp", "udp"]);

  assert.equal(netstatRequest({}).filter, NetstatRequest_Filter.CONNECTED);
  assert.equal(netstatRequest({ listening: true }).filter, NetstatRequest_Filter.LISTENING);
  assert.equal(netstatRequest({ listening: true, all: true }).filter, NetstatRequest_Filter.ALL);

  const r = netstatRequest({ programs: true, pods: true });
  assert.equal(r.feature?.pid, true);
  assert.equal(r.netns?.hostnetwork, true);
  assert.equal(r.netns?.allnetns, true);
  assert.equal(netstatRequest({}).netns?.allnetns, false);
});

const record = (o: Record<string, unknown>) => ({
  l4proto: "tcp",
  localip: "127.0.50.2",
  localport: 50000,
  remoteip: "0.0.0.0",
  remoteport: 0,
  state: ConnectRecord_State.LISTEN,
  ...o,
});

test("the table: Talos's columns, NODE from reply metadata, * for port 0, no state for CLOSE", () => {
  const msgs = [
    create(NetstatSchema, {
      metadata: { hostname: "10.5.0.2" },
      connectrecord: [
        record({ txqueue: 0n, rxqueue: 0n, process: { pid: 42, name: "machined" }, uid: 0, inode: 1165n }),
        record({
          l4proto: "udp6",
          localip: "::",
          localport: 53,
          remoteip: "::",
          state: ConnectRecord_State.CLOSE,
          rxqueue: 7n,
          process: {},
        }),
      ],
    }),
    create(NetstatSchema, {
      metadata: { hostname: "10.5.0.3" },
      connectrecord: [
        record({
          remoteip: "10.5.0.2",
          remoteport: 50000,
          localport: 40000,
          state: ConnectRecord_State.ESTABLISHED,
          tr: ConnectRecord_TimerActive.KEEPALIVE,
          timerwhen: 712n,
          retrnsmt: 1n,
          timeout: 3n,
        }),
      ],
    }),
  ];
  assert.equal(
    netstatTable(msgs, {}),
    "NODE       Proto   Recv-Q   Send-Q   Local Address      Foreign Address   State\n" +
      "10.5.0.2   tcp     0        0        127.0.50.2:50000   0.0.0.0:*         LISTEN\n" +
      "10.5.0.2   udp6    7        0        :::53              :::*              \n" +
      "10.5.0.3   tcp     0        0        127.0.50.2:40000   10.5.0.2:50000    ESTABLISHED\n",
  );
  assert.equal(
    netstatTable(msgs, { extend: true, programs: true, timers: true }).split("\n").slice(0, 4).join("\n"),
    "NODE       Proto   Recv-Q   Send-Q   Local Address      Foreign Address   State         Uid   Inode   PID/Program name   Timer\n" +
      "10.5.0.2   tcp     0        0        127.0.50.2:50000   0.0.0.0:*         LISTEN        0     1165    42/machined        off (0.00/0/0)\n" +
      "10.5.0.2   udp6    7        0        :::53              :::*                            0     0       -                  off (0.00/0/0)\n" +
      "10.5.0.3   tcp     0        0        127.0.50.2:40000   10.5.0.2:50000    ESTABLISHED   0     0       -                  keepalive (7.12/1/3)",
  );
});

test("pods column, replies without metadata, and Talos's header quirk", () => {
  const pods = new Map([["10.5.0.2", new Map([["cni-1234", "kube-system/coredns-abc"]])]]);
  const msgs = [
    create(NetstatSchema, {
      metadata: { hostname: "10.5.0.2" },
      connectrecord: [record({}), record({ netns: "cni-1234", localport: 53 }), record({ netns: "cni-gone" })],
    }),
  ];
  assert.equal(
    netstatTable(msgs, { pods: true }, pods),
    "NODE       Proto   Recv-Q   Send-Q   Local Address      Foreign Address   State    Pod\n" +
      "10.5.0.2   tcp     0        0        127.0.50.2:50000   0.0.0.0:*         LISTEN   -\n" +
      "10.5.0.2   tcp     0        0        127.0.50.2:53      0.0.0.0:*         LISTEN   kube-system/coredns-abc\n" +
      "10.5.0.2   tcp     0        0        127.0.50.2:50000   0.0.0.0:*         LISTEN   \n",
  );
  // One-to-one replies carry no metadata: no NODE column.
  assert.equal(
    netstatTable([create(NetstatSchema, { connectrecord: [record({})] })], {}),
    "Proto   Recv-Q   Send-Q   Local Address      Foreign Address   State\n" +
      "tcp     0        0        127.0.50.2:50000   0.0.0.0:*         LISTEN\n",
  );
  // Talos writes the header with the first reply's first record only.
  const headless = netstatTable(
    [
      create(NetstatSchema, { metadata: { hostname: "a" } }),
      create(NetstatSchema, { metadata: { hostname: "b" }, connectrecord: [record({})] }),
    ],
    {},
  );
  assert.equal(headless, "b   tcp   0   0   127.0.50.2:50000   0.0.0.0:*   LISTEN\n");
  assert.equal(netstatTable([], {}), "");
});
