import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizeEndpoint, normalizeEndpoints, reduceUrlToAddress } from "./normalize-endpoint.ts";

describe("normalizeEndpoint", () => {
  const cases: [string, string][] = [
    ["10.0.0.1", "10.0.0.1:50000"],
    ["10.0.0.1:50001", "10.0.0.1:50001"],
    ["node1", "node1:50000"],
    ["node1:443", "node1:443"],
    ["https://lb.example.com", "lb.example.com:443"],
    ["https://lb.example.com:8443", "lb.example.com:8443"],
    ["https://lb.example.com/path", "lb.example.com:443"],
    ["HTTPS://lb.example.com", "lb.example.com:443"],
    ["http://lb.example.com", "lb.example.com:50000"],
    ["grpc://user@h:1234", "h:1234"],
    ["::1", "[::1]:50000"],
    ["[::1]:50000", "[::1]:50000"],
    ["https://[fd00::1]", "[fd00::1]:443"],
    ["2001:db8::1", "[2001:db8::1]:50000"],
  ];
  for (const [input, want] of cases) {
    it(`${input} → ${want}`, () => assert.equal(normalizeEndpoint(input), want));
  }

  it("takes another default port and works on lists", () => {
    assert.equal(normalizeEndpoint("h", 50001), "h:50001");
    assert.deepEqual(normalizeEndpoints(["a", "https://b"]), ["a:50000", "b:443"]);
  });

  it("reduces URLs to addresses without adding ports", () => {
    assert.equal(reduceUrlToAddress("http://h"), "h");
    assert.equal(reduceUrlToAddress("h"), "h");
    assert.equal(reduceUrlToAddress("https://h:bad"), "https://h:bad");
  });
});
