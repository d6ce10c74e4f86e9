import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalIPAddress, formatIPAddress, parseIPAddress } from "./ip-address.ts";

describe("IP addresses", () => {
  it("parses IPv4 to 4 bytes and IPv6 to 16", () => {
    assert.deepEqual(parseIPAddress("10.5.0.2"), new Uint8Array([10, 5, 0, 2]));
    assert.equal(parseIPAddress("::1")?.length, 16);
    assert.equal(parseIPAddress("2001:db8::1:2")?.length, 16);
  });

  it("collapses IPv4-mapped IPv6 to IPv4, as Go does", () => {
    assert.deepEqual(parseIPAddress("::ffff:192.168.1.1"), new Uint8Array([192, 168, 1, 1]));
    assert.equal(canonicalIPAddress("::ffff:c0a8:101"), "192.168.1.1");
  });

  it("rejects what Go's net.ParseIP rejects", () => {
    for (const bad of [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "256.1.1.1",
      "01.2.3.4",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "fe80::1%eth0",
      "10.0.0.0/8",
      "g::1",
      "host",
    ]) {
      assert.equal(parseIPAddress(bad), undefined, bad);
    }
  });

  it("prints IPv6 in RFC 5952 form", () => {
    assert.equal(canonicalIPAddress("0:0:0:0:0:0:0:1"), "::1");
    assert.equal(canonicalIPAddress("::"), "::");
    assert.equal(canonicalIPAddress("FD00:0:0:0:1:0:0:5"), "fd00::1:0:0:5");
    assert.equal(canonicalIPAddress("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
    assert.equal(canonicalIPAddress("1:0:0:2:0:0:0:3"), "1:0:0:2::3");
    assert.equal(formatIPAddress(new Uint8Array([127, 0, 0, 1])), "127.0.0.1");
  });
});
