import assert from "node:assert/strict";
import { test } from "node:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { EmptyResponseSchema, EmptySchema, VersionResponseSchema, VersionSchema } from "@talos/machinery/api";
import { errorReply, tagStreamItem, tagUnaryReply } from "./envelope.ts";
import { encodeFrame, FrameDecoder, FrameError } from "./grpc-frame.ts";

test("a unary reply gets the target's hostname merged into its element", () => {
  const reply = toBinary(
    VersionResponseSchema,
    create(VersionResponseSchema, { messages: [{ version: { tag: "v1.6.7" }, platform: { name: "container" } }] }),
  );
  const tagged = fromBinary(VersionResponseSchema, tagUnaryReply(reply, { hostname: "10.5.0.2" }));
  assert.equal(tagged.messages.length, 1);
  assert.equal(tagged.messages[0]?.metadata?.hostname, "10.5.0.2");
  assert.equal(tagged.messages[0]?.version?.tag, "v1.6.7");
  assert.equal(tagged.messages[0]?.platform?.name, "container");
});

test("merged replies of several targets decode as one response; failures carry error and status", () => {
  const ok = tagUnaryReply(
    toBinary(VersionResponseSchema, create(VersionResponseSchema, { messages: [{ version: { tag: "a" } }] })),
    { hostname: "A" },
  );
  const failed = errorReply({
    hostname: "B",
    error: "rpc error: code = Unavailable desc = x",
    status: { code: 14, message: "x" },
  });
  const merged = fromBinary(VersionResponseSchema, new Uint8Array([...ok, ...failed]));
  assert.deepEqual(
    merged.messages.map((m) => [m.metadata?.hostname, m.metadata?.error, m.metadata?.status?.code]),
    [
      ["A", "", undefined],
      ["B", "rpc error: code = Unavailable desc = x", 14],
    ],
  );
  // An empty reply still yields an element that names its node.
  const empty = fromBinary(EmptyResponseSchema, tagUnaryReply(new Uint8Array(0), { hostname: "C" }));
  assert.equal(empty.messages[0]?.metadata?.hostname, "C");
  assert.throws(() => tagUnaryReply(new Uint8Array([0x10, 0x01]), { hostname: "x" }), /not a Talos response envelope/);
});

test("stream items get the hostname appended", () => {
  const item = toBinary(VersionSchema, create(VersionSchema, { version: { tag: "v1.6.7" } }));
  const decoded = fromBinary(VersionSchema, tagStreamItem(item, { hostname: "n1" }));
  assert.equal(decoded.metadata?.hostname, "n1");
  assert.equal(decoded.version?.tag, "v1.6.7");
  // An error item is a bare common.Empty with metadata.
  const err = fromBinary(EmptySchema, tagStreamItem(new Uint8Array(0), { hostname: "n2", error: "boom" }));
  assert.equal(err.metadata?.error, "boom");
});

test("frames: split across chunks, several per chunk, and limits", () => {
  const d = new FrameDecoder(100);
  const a = encodeFrame(new Uint8Array([1, 2, 3]));
  const b = encodeFrame(new Uint8Array([4]));
  const all = new Uint8Array([...a, ...b]);
  assert.deepEqual(d.push(all.subarray(0, 4)), []);
  assert.deepEqual(
    d.push(all.subarray(4)).map((m) => [...m]),
    [[1, 2, 3], [4]],
  );
  assert.equal(d.pending, 0);
  assert.throws(() => new FrameDecoder(100).push(encodeFrame(new Uint8Array(101))), FrameError);
  assert.throws(() => new FrameDecoder().push(new Uint8Array([1, 0, 0, 0, 0])), /compressed/);
});
