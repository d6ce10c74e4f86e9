import { TRUSTD_PORT } from "@talos/machinery/constants";
import { decodeCertAndKey, loadCertificateAuthority } from "@talos/machinery/secrets";
import type { Logger } from "@talos/runtime";
import type { ConfigStore } from "../node/config-store.ts";
import { issueTrustdCertificate } from "../pki/api-certificates.ts";
import { GoroutineRunner, type Service } from "../supervisor/index.ts";
import { startTrustd } from "../trustd/trustd.ts";
import { tcpHealthCheck } from "./tcp-health.ts";

export interface TrustdServiceDeps {
  readonly address: string;
  readonly port?: number;
  readonly store: ConfigStore;
  readonly hostname: () => Promise<string>;
  readonly logger: Logger;
}

/** The `trustd` service (control planes): signs joining nodes' certificates on :50001. */
export function trustdService(deps: TrustdServiceDeps): Service {
  const port = deps.port ?? TRUSTD_PORT;
  return {
    id: "trustd",
    health: tcpHealthCheck(deps.address, port),
    runner: (ctx) =>
      new GoroutineRunner({
        id: "trustd",
        log: ctx.log,
        main: async (signal) => {
          const node = deps.store.active;
          const identity = { hostname: await deps.hostname(), addresses: [deps.address], certSANs: node.certSANs };
          const cert = await issueTrustdCertificate(node.osCA, identity);
          const trustd = await startTrustd({
            host: deps.address,
            port,
            tls: () => cert,
            osCA: loadCertificateAuthority(decodeCertAndKey(node.osCA, "machine.ca"), "machine.ca"),
            token: () => deps.store.active.machineToken,
            logger: deps.logger,
          });
          await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
          await trustd.close();
        },
      }),
  };
}
