// Wire facts of the generated etcd protos (proto/etcd): the fully-qualified names etcd serves and a few encodings
// with upstream's field numbers. The real-etcd tests in client.test.ts cover the rest end to end.
import assert from "node:assert/strict";
import { test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { etcd } from "@talos/machinery/api";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

test("services and methods carry etcd's names", () => {
  assert.equal(etcd.KV.typeName, "etcdserverpb.KV");
  assert.equal(etcd.Cluster.typeName, "etcdserverpb.Cluster");
  assert.equal(etcd.Maintenance.typeName, "etcdserverpb.Maintenance");
  assert.deepEqual(
    etcd.Cluster.methods.map((m) => m.name),
    ["MemberAdd", "MemberRemove", "MemberUpdate", "MemberList", "MemberPromote"],
  );
  assert.equal(etcd.Maintenance.method.snapshot.methodKind, "server_streaming");
  assert.equal(etcd.KeyValueSchema.typeName, "mvccpb.KeyValue");
});

test("field numbers and types match upstream", () => {
  // peerURLs=1 "a", isLearner=2 true
  assert.equal(
    hex(
      toBinary(etcd.MemberAddRequestSchema, create(etcd.MemberAddRequestSchema, { peerURLs: ["a"], isLearner: true })),
    ),
    "0a01611001",
  );
  // ID=1 uint64 (varint)
  assert.equal(
    hex(toBinary(etcd.MemberRemoveRequestSchema, create(etcd.MemberRemoveRequestSchema, { ID: 300n }))),
    "08ac02",
  );
  // action=1 DEACTIVATE(2), memberID=2, alarm=3 NOSPACE(1)
  assert.equal(
    hex(
      toBinary(
        etcd.AlarmRequestSchema,
        create(etcd.AlarmRequestSchema, {
          action: etcd.AlarmRequest_AlarmAction.DEACTIVATE,
          memberID: 1n,
          alarm: etcd.AlarmType.NOSPACE,
        }),
      ),
    ),
    "080210011801",
  );
  // Compare.range_end is field 64: tag (64<<3|2) = 0x202 → varint 82 04
  assert.equal(
    hex(toBinary(etcd.CompareSchema, create(etcd.CompareSchema, { rangeEnd: new Uint8Array([0]) }))),
    "82040100",
  );
  // SnapshotResponse: remaining_bytes=2, blob=3
  assert.equal(
    hex(
      toBinary(
        etcd.SnapshotResponseSchema,
        create(etcd.SnapshotResponseSchema, { remainingBytes: 1n, blob: new Uint8Array([7]) }),
      ),
    ),
    "10011a0107",
  );
});
