// Maintenance mode: a node without a machine config serves a minimal API on :50000 with a throwaway
// certificate and no client authentication, and waits for `talosctl apply-config --insecure`.
import { createHash, X509Certificate } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextValues, type ServiceImpl } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import {
  ApplyConfigurationResponseSchema,
  cosi,
  MachineService,
  ApplyConfigurationRequest_Mode as Mode,
  StorageService,
} from "@talos/machinery/api";
import { formatIssue, type ValidationMode, validateConfig } from "@talos/machinery/config";
import { APID_PORT, ROLE_READER } from "@talos/machinery/constants";
import type { ResourceKind } from "@talos/machinery/resources";
import { createCertificateAuthority, issueServerCertificate } from "@talos/machinery/secrets";
import type { Logger, State } from "@talos/runtime";
import { MAX_MESSAGE_SIZE } from "../apid/grpc-frame.ts";
import { listenTls } from "../os/tls-listener.ts";
import { nodeTlsKey } from "../pki/api-certificates.ts";
import { callerRolesKey } from "../server/authz.ts";
import { createStateService } from "../server/cosi-state-service.ts";
import { createStorageService } from "../server/storage-service.ts";
import { type NodeConfig, readNodeConfig } from "./machine-config.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const NOT_IN_MAINTENANCE = "API is not implemented in maintenance mode";

export interface MaintenanceOptions {
  readonly address: string;
  readonly port?: number;
  readonly hostname: string;
  readonly mode: ValidationMode;
  readonly state: State;
  readonly kinds: ReadonlyMap<string, ResourceKind<unknown>>;
  readonly logger: Logger;
}

/** SHA-256 of the certificate's SubjectPublicKeyInfo, standard base64: what `--cert-fingerprint` pins. */
export function certificateFingerprint(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

/**
 * Serves the maintenance API until a complete config (one with a v1alpha1 document) is applied, then
 * stops serving and returns it. Only ApplyConfiguration, Disks and non-sensitive resource reads work.
 */
export async function runMaintenance(opts: MaintenanceOptions): Promise<NodeConfig> {
  const ca = await createCertificateAuthority({ lifetimeMs: DAY_MS });
  const leaf = await issueServerCertificate(ca, {
    commonName: "maintenance-service.talos.dev",
    ipAddresses: [...new Set([opts.address, "127.0.0.1", "::1"])],
    dnsNames: [opts.hostname],
    lifetimeMs: DAY_MS,
  });
  let accept: (config: NodeConfig) => void = () => {};
  const accepted = new Promise<NodeConfig>((resolve) => {
    accept = resolve;
  });

  const machine: Partial<ServiceImpl<typeof MachineService>> = {
    async applyConfiguration(req) {
      if (req.mode === Mode.NO_REBOOT || req.mode === Mode.STAGED) {
        const name = req.mode === Mode.NO_REBOOT ? "no_reboot" : "staged";
        throw new ConnectError(
          `apply configuration --mode='${name}' is not supported in maintenance mode`,
          Code.Unimplemented,
        );
      }
      let config: NodeConfig;
      try {
        config = readNodeConfig(new TextDecoder().decode(req.data), "config");
      } catch (e) {
        throw new ConnectError(`failed to parse config: ${(e as Error).message}`, Code.InvalidArgument);
      }
      const result = validateConfig(config.config, { mode: opts.mode });
      if (result.errors.length > 0) {
        throw new ConnectError(
          `configuration validation failed: ${result.errors.map(formatIssue).join("; ")}`,
          Code.InvalidArgument,
        );
      }
      const warnings = result.warnings.map(formatIssue);
      if (req.dryRun) {
        return create(ApplyConfigurationResponseSchema, {
          messages: [
            {
              warnings,
              mode: req.mode,
              modeDetails: "Dry run summary:\nNode is running in maintenance mode and does not have a config yet.",
            },
          ],
        });
      }
      // Answer first, then leave maintenance (the server closes once the reply is out).
      setImmediate(() => accept(config));
      return create(ApplyConfigurationResponseSchema, {
        messages: [{ warnings, mode: req.mode, modeDetails: "Applied configuration, leaving maintenance mode" }],
      });
    },
    async version() {
      throw new ConnectError(NOT_IN_MAINTENANCE, Code.Unimplemented);
    },
    async upgrade() {
      throw new ConnectError(NOT_IN_MAINTENANCE, Code.Unimplemented);
    },
    async reset() {
      throw new ConnectError(NOT_IN_MAINTENANCE, Code.Unimplemented);
    },
    async generateClientConfiguration() {
      throw new ConnectError(NOT_IN_MAINTENANCE, Code.Unimplemented);
    },
  };

  const handler = connectNodeAdapter({
    grpc: true,
    connect: false,
    grpcWeb: false,
    acceptCompression: [],
    readMaxBytes: MAX_MESSAGE_SIZE,
    writeMaxBytes: MAX_MESSAGE_SIZE,
    // Nobody is authenticated here: everyone reads as os:reader (non-sensitive resources only).
    contextValues: () => createContextValues().set(callerRolesKey, [ROLE_READER]),
    routes: (router) => {
      router.service(MachineService, machine);
      router.service(StorageService, createStorageService());
      router.service(cosi.State, createStateService(opts.state, opts.kinds));
    },
  });
  const listener = await listenTls(
    { key: nodeTlsKey(leaf.key), cert: leaf.crt, minVersion: "TLSv1.2" },
    handler,
    opts.address,
    opts.port ?? APID_PORT,
  );
  const where = listener.address;
  const fingerprint = certificateFingerprint(leaf.crt);
  opts.logger.info("entering maintenance service", {
    address: `${where.address}:${where.port}`,
    fingerprint,
    hint: `talosctl apply-config --insecure --nodes ${opts.address} --cert-fingerprint '${fingerprint}' --file <config.yaml>`,
  });

  const config = await accepted;
  // Let the reply reach the client, then stop serving (gracefully, 5 s at most).
  await listener.close(5000);
  opts.logger.info("leaving maintenance service");
  return config;
}
