import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contains, formatIpv4, gatewayOf, macFromIp, nthAddress, parseCidr, parseIpv4 } from "./net.ts";

describe("net", () => {
  it("derives Docker's deterministic MAC from the IP", () => {
    assert.equal(macFromIp("10.5.0.2"), "02:42:0a:05:00:02");
    assert.equal(macFromIp("172.20.255.254"), "02:42:ac:14:ff:fe");
    assert.equal(macFromIp("0.0.0.0"), "02:42:00:00:00:00");
    assert.throws(() => macFromIp("10.5.0"), /invalid IPv4 address "10.5.0"/);
  });

  it("parses and formats IPv4 addresses", () => {
    assert.equal(parseIpv4("10.5.0.2"), 0x0a050002);
    assert.equal(parseIpv4("255.255.255.255"), 0xffffffff);
    for (const bad of ["10.5.0.256", "10.5.0", "10.05.0.1", "a.b.c.d", "10.5.0.1 ", ""]) {
      assert.equal(parseIpv4(bad), undefined, bad);
    }
    assert.equal(formatIpv4(0xffffffff), "255.255.255.255");
    assert.equal(formatIpv4(0x0a050002), "10.5.0.2");
  });

  it("parses CIDRs, gateway = network + 1", () => {
    const net = parseCidr("10.5.0.0/24");
    assert.deepEqual(net, { base: 0x0a050000, prefix: 24, cidr: "10.5.0.0/24" });
    assert.equal(gatewayOf(net), "10.5.0.1");
    assert.equal(nthAddress(net, 2), "10.5.0.2");
    assert.ok(contains(net, parseIpv4("10.5.0.255")!));
    assert.ok(!contains(net, parseIpv4("10.5.1.0")!));
    assert.equal(gatewayOf(parseCidr("192.168.0.0/16")), "192.168.0.1");
  });

  it("rejects malformed CIDRs and host bits", () => {
    assert.throws(() => parseCidr("10.5.0.1/24"), /host bits are set \(did you mean 10\.5\.0\.0\/24\?\)/);
    for (const bad of ["10.5.0.0", "10.5.0.0/33", "10.5.0.0/31", "10.5.0.0/0", "fd00::/64", "10.5.0.0/24/1"]) {
      assert.throws(() => parseCidr(bad), /invalid CIDR/, bad);
    }
  });
});
