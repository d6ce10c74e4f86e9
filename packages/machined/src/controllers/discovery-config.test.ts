import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { discoveryEndpoint } from "./discovery-config.ts";

describe("discoveryEndpoint", () => {
  test("adds Talos's default ports and says whether TLS is off", () => {
    assert.deepEqual(discoveryEndpoint("https://discovery.talos.dev/"), {
      hostPort: "discovery.talos.dev:443",
      insecure: false,
    });
    assert.deepEqual(discoveryEndpoint("http://10.5.0.254:3000/"), { hostPort: "10.5.0.254:3000", insecure: true });
    assert.deepEqual(discoveryEndpoint("http://example.org"), { hostPort: "example.org:80", insecure: true });
  });

  test("names the config field for anything but http(s)", () => {
    assert.throws(
      () => discoveryEndpoint("grpc://x:1/"),
      /cluster\.discovery\.registries\.service\.endpoint: expected an http\(s\) URL/,
    );
  });
});
