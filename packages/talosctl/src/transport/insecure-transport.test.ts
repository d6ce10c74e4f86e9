import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { MachineService } from "@talos/machinery/api";
import { createCertificateAuthority, decodePem, issueServerCertificate } from "@talos/machinery/secrets";
import {
  certificateSpki,
  createInsecureTransport,
  parseCertFingerprints,
  spkiFingerprint,
} from "./insecure-transport.ts";

describe("maintenance-mode transport", () => {
  let server: http2.Http2SecureServer;
  let endpoint: string;
  let certPem: string;
  let calls = 0;

  before(async () => {
    // A throwaway CA and leaf, as a node in maintenance mode has.
    const ca = await createCertificateAuthority({ lifetimeMs: 3600_000 });
    const leaf = await issueServerCertificate(ca, {
      commonName: "maintenance-service.talos.dev",
      ipAddresses: ["127.0.0.1"],
    });
    certPem = leaf.crt;
    const adapter = connectNodeAdapter({
      routes: (router) =>
        router.service(MachineService, {
          version: () => {
            calls++;
            return { messages: [{ version: { tag: "v1.6.7" } }] };
          },
        }),
    });
    server = http2.createSecureServer(
      { key: leaf.key.replaceAll("ED25519 PRIVATE KEY", "PRIVATE KEY"), cert: leaf.crt },
      adapter,
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("takes the SPKI exactly as encoded in the certificate", () => {
    const der = decodePem(certPem, "certificate").der;
    const viaNode = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
    assert.deepEqual(Buffer.from(certificateSpki(der)), viaNode);
    assert.equal(spkiFingerprint(der).length, 44);
  });

  it("talks to a node whose certificate nothing vouches for, with or without a matching pin", async () => {
    const plain = createClient(MachineService, createInsecureTransport(endpoint));
    assert.equal((await plain.version({})).messages[0]?.version?.tag, "v1.6.7");
    const pin = parseCertFingerprints([spkiFingerprint(decodePem(certPem, "certificate").der)]);
    const pinned = createClient(MachineService, createInsecureTransport(endpoint, pin));
    assert.equal((await pinned.version({})).messages[0]?.version?.tag, "v1.6.7");
  });

  it("fails the handshake on a fingerprint mismatch before any request reaches the node", async () => {
    const before = calls;
    const wrong = Buffer.alloc(32, 7).toString("base64");
    const client = createClient(MachineService, createInsecureTransport(endpoint, parseCertFingerprints([wrong])));
    await assert.rejects(client.version({}), (e: unknown) => {
      assert.ok(e instanceof ConnectError);
      assert.equal(e.code, Code.Unavailable);
      assert.equal(
        e.rawMessage,
        `connection error: desc = "transport: authentication handshake failed: leaf peer certificate doesn't match the provided fingerprints: [${wrong}]"`,
      );
      return true;
    });
    assert.equal(calls, before);
  });

  it("parses fingerprints as Go's standard base64", () => {
    assert.deepEqual(parseCertFingerprints(["AQID"]), [new Uint8Array([1, 2, 3])]);
    assert.throws(() => parseCertFingerprints(["a!b"]), {
      message: 'error parsing certificate fingerprint "a!b": illegal base64 data at input byte 1',
    });
    assert.throws(() => parseCertFingerprints(["AQI"]), /illegal base64 data at input byte 0/);
    assert.throws(() => parseCertFingerprints(["AQ=D"]), /illegal base64 data at input byte 2/);
  });
});
