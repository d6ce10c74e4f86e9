import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addressContainsPort, isCIDR, isIP, isPrefix, isSubnetOrAddress } from "./go-net.ts";
import { goBoolFromString, goStringStyle, isGoDuration, resolvePlainScalar } from "./go-scalar.ts";
import { parseGoUrl, validateEndpointUri } from "./go-url.ts";

describe("yaml.v3 scalars", () => {
  it("resolves plain scalars as yaml.v3 does", () => {
    assert.deepEqual(resolvePlainScalar("0644"), { type: "int", value: 420 });
    assert.deepEqual(resolvePlainScalar("0o644"), { type: "int", value: 420 });
    assert.deepEqual(resolvePlainScalar("0x1F"), { type: "int", value: 31 });
    assert.deepEqual(resolvePlainScalar("0b101"), { type: "int", value: 5 });
    assert.deepEqual(resolvePlainScalar("1_000"), { type: "int", value: 1000 });
    assert.deepEqual(resolvePlainScalar("-12"), { type: "int", value: -12 });
    assert.deepEqual(resolvePlainScalar("1.5"), { type: "float", value: 1.5 });
    assert.deepEqual(resolvePlainScalar("True"), { type: "bool", value: true });
    assert.deepEqual(resolvePlainScalar("~"), { type: "null" });
    assert.deepEqual(resolvePlainScalar("yes"), { type: "string", value: "yes" });
    assert.deepEqual(resolvePlainScalar("10.0.0.1"), { type: "string", value: "10.0.0.1" });
    assert.equal(goBoolFromString("on"), true);
    assert.equal(goBoolFromString("NO"), false);
    assert.equal(goBoolFromString("true"), undefined);
  });

  it("checks Go durations", () => {
    for (const ok of ["0", "30s", "1h30m", "2m0s", "1.5h", "100ms", "-1s"]) assert.ok(isGoDuration(ok), ok);
    for (const bad of ["10", "1d", "s", "", "1 h"]) assert.ok(!isGoDuration(bad), bad);
  });

  it("picks yaml.v3's string styles", () => {
    assert.equal(goStringStyle("plain"), "plain");
    assert.equal(goStringStyle("123"), "double");
    assert.equal(goStringStyle("yes"), "double");
    assert.equal(goStringStyle(""), "double");
    assert.equal(goStringStyle("*.example.com"), "single");
    assert.equal(goStringStyle("a: b"), "single");
    assert.equal(goStringStyle("a #b"), "single");
    assert.equal(goStringStyle("1:30"), "double");
    assert.equal(goStringStyle("two\nlines"), "literal");
    assert.equal(goStringStyle("trailing \nspace"), "double");
  });
});

describe("Go URLs and addresses", () => {
  it("parses URLs like net/url", () => {
    const u = parseGoUrl("https://[fd00::1]:6443/path?x=1");
    assert.ok(u.ok);
    assert.deepEqual(u.url, {
      scheme: "https",
      host: "[fd00::1]:6443",
      hostname: "fd00::1",
      port: "6443",
      path: "/path",
      rawQuery: "x=1",
    });
    assert.deepEqual(parseGoUrl("10.0.0.1:6443"), {
      ok: false,
      error: 'parse "10.0.0.1:6443": first path segment in URL cannot contain colon',
    });
    assert.deepEqual(parseGoUrl(":6443"), { ok: false, error: 'parse ":6443": missing protocol scheme' });
    assert.deepEqual(parseGoUrl("https://host:port"), {
      ok: false,
      error: 'parse "https://host:port": invalid port ":port" after host',
    });
    assert.ok(parseGoUrl("just-a-word").ok);
    assert.equal(validateEndpointUri("https://1.2.3.4:6443"), undefined);
    assert.equal(validateEndpointUri("https://fd00::1:6443"), "IPv6 addresses MUST be enclosed by square brackets");
    assert.equal(validateEndpointUri("https://1.2.3.4:0"), "port number must be between 1 and 65535");
  });

  it("parses IPs and CIDRs like net and netip", () => {
    assert.ok(isIP("10.0.0.1") && isIP("::1") && isIP("fd00::10:1") && isIP("::ffff:10.0.0.1"));
    assert.ok(!isIP("10.0.0.01") && !isIP("10.0.0") && !isIP("fe80::1%eth0") && !isIP("1:2:3:4:5:6:7:8:9"));
    assert.ok(isCIDR("10.0.0.0/8") && isCIDR("fd00::/64") && !isCIDR("10.0.0.0/33") && !isCIDR("10.0.0.0"));
    assert.ok(isPrefix("10.0.0.0/8") && !isPrefix("10.0.0.0/08"));
    assert.ok(isSubnetOrAddress("10.0.0.3") && isSubnetOrAddress("10.0.0.0/8") && !isSubnetOrAddress("bogus"));
    assert.ok(
      addressContainsPort("10.0.0.1:51820") &&
        addressContainsPort("[fd00::1]:51820") &&
        !addressContainsPort("10.0.0.1"),
    );
  });
});
