import type http2 from "node:http2";
import { APID_PORT } from "@talos/machinery/constants";
import type { Logger } from "@talos/runtime";
import { startApid } from "../apid/apid.ts";
import { BackendPool, localBackend, remoteBackend } from "../apid/backend.ts";
import { clusterEndpointHost, type NodeConfig } from "../node/machine-config.ts";
import { type ApiCertificates, issueApiCertificates } from "../pki/api-certificates.ts";
import { GoroutineRunner, type Service } from "../supervisor/index.ts";
import { requestApiCertificate } from "../trustd/request-certificate.ts";
import { tcpHealthCheck } from "./tcp-health.ts";

export interface ApidServiceDeps {
  readonly address: string;
  readonly port?: number;
  readonly config: NodeConfig;
  readonly hostname: () => Promise<string>;
  readonly socketPath: string;
  readonly localHandler: (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;
  readonly logger: Logger;
}

/**
 * The `apid` service: gets the node's API certificate (issued locally on control planes, signed by trustd
 * for workers), then serves the Talos API on :50000 until stopped.
 */
export function apidService(deps: ApidServiceDeps): Service {
  const port = deps.port ?? APID_PORT;
  return {
    id: "apid",
    health: tcpHealthCheck(deps.address, port),
    runner: (ctx) =>
      new GoroutineRunner({
        id: "apid",
        log: ctx.log,
        main: async (signal) => {
          const node = deps.config;
          const hostname = await deps.hostname();
          const certs = await apiCertificates(deps, node, hostname, signal);
          const client = certs.client;
          const apid = await startApid({
            host: deps.address,
            port,
            tls: () => ({ key: certs.server.key, cert: certs.server.cert, ca: certs.ca }),
            rbac: node.rbac,
            extKeyUsageCheck: node.apidCheckExtKeyUsage,
            local: localBackend(deps.socketPath),
            localHandler: deps.localHandler,
            // Without a client certificate (workers) apid cannot forward calls to other nodes.
            ...(client !== undefined
              ? {
                  remote: new BackendPool((target) =>
                    remoteBackend(target, () => ({ ca: certs.ca, cert: client.cert, key: client.key }), port),
                  ),
                }
              : {}),
            isLocal: (target) => target === deps.address || target === hostname,
          });
          deps.logger.info("apid listening", { address: `${apid.address.address}:${apid.address.port}` });
          await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
          await apid.close();
        },
      }),
  };
}

async function apiCertificates(
  deps: ApidServiceDeps,
  node: NodeConfig,
  hostname: string,
  signal: AbortSignal,
): Promise<ApiCertificates> {
  const identity = { hostname, addresses: [deps.address], certSANs: node.certSANs };
  if (node.machineType !== "worker") return issueApiCertificates(node.osCA, identity);
  const endpoint = clusterEndpointHost(node);
  const signed = await requestApiCertificate(
    {
      endpoints: endpoint === "" ? [] : [endpoint],
      osCAcrt: node.osCA.crt,
      token: node.machineToken,
      hostname,
      addresses: [deps.address],
      logger: deps.logger,
      timeoutMs: 30 * 60_000,
    },
    signal,
  );
  return { ca: signed.ca, server: { cert: signed.cert, key: signed.key } };
}
