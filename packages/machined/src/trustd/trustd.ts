// trustd (TCP 50001, control plane only): signs the API certificate requests of joining nodes that present
// the machine token. Server-only TLS; the token travels as `token` metadata.
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { CertificateResponseSchema, SecurityService } from "@talos/machinery/api";
import { TRUSTD_PORT } from "@talos/machinery/constants";
import { type CertificateAuthority, signCertificateRequest } from "@talos/machinery/secrets";
import type { Logger } from "@talos/runtime";
import { listenTls } from "../os/tls-listener.ts";

export interface TrustdOptions {
  readonly host: string;
  readonly port?: number;
  /** trustd's own server certificate and key (PEM, Node-readable key label). */
  readonly tls: () => { readonly cert: string; readonly key: string };
  /** The OS CA that signs joining nodes' certificates. */
  readonly osCA: CertificateAuthority;
  /** `machine.token` of this control plane node. */
  readonly token: () => string;
  readonly logger: Logger;
}

export interface Trustd {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function startTrustd(opts: TrustdOptions): Promise<Trustd> {
  // A wrong or missing token is a plain error whose text is "Unauthenticated" (code Unknown), as in Talos.
  const checkToken: Interceptor = (next) => async (req) => {
    if (req.header.get("token")?.split(",")[0]?.trim() !== opts.token()) {
      throw new ConnectError("Unauthenticated", Code.Unknown);
    }
    return next(req);
  };
  const handler = connectNodeAdapter({
    grpc: true,
    connect: false,
    grpcWeb: false,
    acceptCompression: [],
    interceptors: [checkToken],
    routes: (router) => {
      router.service(SecurityService, {
        async certificate(req) {
          const csr = new TextDecoder().decode(req.csr);
          let crt: string;
          try {
            // Organization is stripped: a joining node never gets a certificate carrying API roles.
            crt = await signCertificateRequest(opts.osCA, csr, {
              stripOrganization: true,
              keyUsage: ["digitalSignature"],
              extKeyUsage: ["serverAuth"],
              lifetimeMs: DAY_MS,
            });
          } catch (e) {
            throw new ConnectError(
              `failed to sign the certificate request: ${(e as Error).message}`,
              Code.InvalidArgument,
            );
          }
          opts.logger.info("signed a certificate request", { component: "trustd" });
          const enc = new TextEncoder();
          return create(CertificateResponseSchema, { ca: enc.encode(opts.osCA.crt), crt: enc.encode(crt) });
        },
      });
    },
  });
  const initial = opts.tls();
  const listener = await listenTls(
    { cert: initial.cert, key: initial.key },
    handler,
    opts.host,
    opts.port ?? TRUSTD_PORT,
  );
  return { address: listener.address, close: () => listener.close() };
}
