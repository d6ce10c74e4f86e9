// The joining side of trustd: a worker creates an Ed25519 key and CSR for its API certificate and has a
// control plane node sign it, authenticating with the machine token.
import { isIP } from "node:net";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SecurityService } from "@talos/machinery/api";
import { TRUSTD_PORT } from "@talos/machinery/constants";
import {
  createCertificateRequest,
  decodeBase64Text,
  encodePrivateKeyPem,
  generatePrivateKey,
} from "@talos/machinery/secrets";
import type { Logger } from "@talos/runtime";
import { nodeTlsKey } from "../pki/api-certificates.ts";

export interface CertificateRequestTarget {
  /** trustd endpoints (control plane addresses); port 50001 is added. */
  readonly endpoints: readonly string[];
  /** `machine.ca.crt` (base64 PEM): trustd's certificate must chain to it. */
  readonly osCAcrt: string;
  /** `machine.token`. */
  readonly token: string;
  readonly hostname: string;
  readonly addresses: readonly string[];
  readonly logger: Logger;
  /** Give up after this long (Talos retries for a minute; joining nodes keep calling this). */
  readonly timeoutMs?: number;
}

/** Obtains a signed API server certificate from trustd; retries with backoff across endpoints. */
export async function requestApiCertificate(
  t: CertificateRequestTarget,
  signal?: AbortSignal,
): Promise<{ ca: string; cert: string; key: string }> {
  const key = await generatePrivateKey("ed25519");
  const csr = await createCertificateRequest(key, {
    commonName: t.hostname,
    dnsNames: [t.hostname],
    ipAddresses: t.addresses.filter((a) => isIP(a) !== 0),
  });
  const ca = decodeBase64Text(t.osCAcrt, "machine.ca.crt");
  const deadline = Date.now() + (t.timeoutMs ?? 60_000);
  let delay = 500;
  let lastError: unknown;
  for (;;) {
    for (const ep of t.endpoints) {
      const host = ep.includes(":") && !ep.startsWith("[") ? `[${ep}]` : ep;
      try {
        const client = createClient(
          SecurityService,
          createGrpcTransport({ baseUrl: `https://${host}:${TRUSTD_PORT}`, nodeOptions: { ca } }),
        );
        const reply = await client.certificate(
          { csr: new TextEncoder().encode(csr) },
          { headers: { token: t.token }, timeoutMs: 10_000, signal },
        );
        return {
          ca: new TextDecoder().decode(reply.ca),
          cert: new TextDecoder().decode(reply.crt),
          key: nodeTlsKey(encodePrivateKeyPem(key)),
        };
      } catch (e) {
        lastError = e;
        if (e instanceof ConnectError && e.rawMessage === "Unauthenticated") {
          throw new Error(`trustd at ${ep} refused the machine token (machine.token does not match the cluster's)`);
        }
        if (signal?.aborted || (e instanceof ConnectError && e.code === Code.Canceled && signal?.aborted)) throw e;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no trustd endpoint signed the certificate request: ${(lastError as Error)?.message ?? "unknown"}`,
      );
    }
    t.logger.info("waiting for trustd", { endpoints: t.endpoints.join(","), error: (lastError as Error)?.message });
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}
