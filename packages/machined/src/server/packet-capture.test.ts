import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { PacketCaptureRequestSchema } from "@talos/machinery/api";
import { PACKET_CAPTURE_UNSUPPORTED, packetCapture } from "./packet-capture.ts";

async function firstError(it: AsyncIterable<unknown>): Promise<ConnectError> {
  try {
    for await (const _ of it) assert.fail("no data may be streamed");
  } catch (e) {
    assert.ok(e instanceof ConnectError);
    return e;
  }
  assert.fail("the stream ended without an error");
}

test("PacketCapture refuses with Unimplemented for a known interface, NotFound for an unknown one", async () => {
  const sys = await mkdtemp(join(tmpdir(), "pcap-sys-"));
  try {
    await mkdir(join(sys, "class/net/eth0"), { recursive: true });
    const req = (name: string) => create(PacketCaptureRequestSchema, { interface: name, promiscuous: true });
    const refused = await firstError(packetCapture(req("eth0"), sys));
    assert.equal(refused.code, Code.Unimplemented);
    assert.equal(refused.rawMessage, PACKET_CAPTURE_UNSUPPORTED);
    assert.match(refused.rawMessage, /^packet capture is not supported on this node: /);
    for (const name of ["eth9", "", "../net", ".."]) {
      const missing = await firstError(packetCapture(req(name), sys));
      assert.equal(missing.code, Code.NotFound, name);
      assert.equal(missing.rawMessage, `interface ${JSON.stringify(name)} not found`);
    }
  } finally {
    await rm(sys, { recursive: true, force: true });
  }
});

test("PacketCapture looks interfaces up in the real sysfs by default", async () => {
  const e = await firstError(packetCapture(create(PacketCaptureRequestSchema, { interface: "lo" })));
  assert.equal(e.code, Code.Unimplemented);
});
