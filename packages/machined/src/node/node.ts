// A Talos node as one process: resource state and controllers, machined's API on a unix socket, and apid
// on <address>:50000 in front of it. Runs as a plain process for development and tests
// (`machined --state-dir DIR --address 127.0.0.N`), several side by side on loopback addresses.
import { mkdir, rm } from "node:fs/promises";
import http2 from "node:http2";
import { join } from "node:path";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { cosi, MachineService, StorageService } from "@talos/machinery/api";
import { APID_PORT } from "@talos/machinery/constants";
import {
  ALL_KINDS,
  definitionId,
  fillDefinition,
  namespaceKind,
  nodeAddressKind,
  type ResourceKind,
  resourceDefinitionKind,
  TALOS_NAMESPACES,
} from "@talos/machinery/resources";
import { decodeCertAndKey, loadCertificateAuthority } from "@talos/machinery/secrets";
import { createEngine, createInMemoryState, type Logger, newPointer, newResource, type State } from "@talos/runtime";
import { type Apid, startApid } from "../apid/apid.ts";
import { BackendPool, localBackend, remoteBackend } from "../apid/backend.ts";
import { MAX_MESSAGE_SIZE } from "../apid/grpc-frame.ts";
import { allControllers } from "../controllers/index.ts";
import { writeFileAtomic } from "../os/write-file-atomic.ts";
import { type ApiCertificates, issueApiCertificates, issueTrustdCertificate } from "../pki/api-certificates.ts";
import { createApplyConfiguration } from "../server/apply-configuration.ts";
import { authorize } from "../server/authz.ts";
import { createStateService } from "../server/cosi-state-service.ts";
import { createMachineService } from "../server/machine-service.ts";
import { createStorageService } from "../server/storage-service.ts";
import { requestApiCertificate } from "../trustd/request-certificate.ts";
import { startTrustd, type Trustd } from "../trustd/trustd.ts";
import { ConfigStore } from "./config-store.ts";
import { clusterEndpointHost } from "./machine-config.ts";
import { runMaintenance } from "./maintenance.ts";
import { hasStateConfig, STATE_CONFIG_FILE } from "./state-dir.ts";

export interface NodeOptions {
  readonly stateDir: string;
  /** The node's address: apid listens on it, and it is the node's address in its resources. */
  readonly address: string;
  readonly apidPort?: number;
  readonly trustdPort?: number;
  /** Hostname when the config sets none (the platform's). */
  readonly hostname: string;
  readonly platform: { readonly name: string; readonly mode: string };
  readonly sha: string;
  readonly logger: Logger;
  /** Restarts the node (process or container) so that it boots with the persisted config. */
  readonly reboot: () => void;
}

export interface RunningNode {
  readonly state: State;
  readonly apid: Apid;
  readonly socketPath: string;
  close(): Promise<void>;
}

export async function startNode(opts: NodeOptions): Promise<RunningNode> {
  await mkdir(opts.stateDir, { recursive: true, mode: 0o700 });
  const state = createInMemoryState();
  await registerDefinitions(state);
  const kinds = new Map<string, ResourceKind<unknown>>(ALL_KINDS.map((k) => [k.kind.type, k as ResourceKind<unknown>]));
  const validationMode = opts.platform.mode === "metal" ? "metal" : "container";
  if (!(await hasStateConfig(opts.stateDir))) {
    // No config in STATE: maintenance mode until one is applied, then boot with it (no reboot needed).
    const config = await runMaintenance({
      address: opts.address,
      port: opts.apidPort,
      hostname: opts.hostname,
      mode: validationMode,
      state,
      kinds,
      logger: opts.logger,
    });
    await writeFileAtomic(join(opts.stateDir, STATE_CONFIG_FILE), config.text, 0o600);
  }
  const store = await ConfigStore.open(state, opts.stateDir);
  // Certificates and apid settings follow the config the node booted with; changing them needs a reboot.
  const node = store.active;
  for (const id of ["default", "current", "accumulative"]) {
    await state.create(newResource(newPointer(nodeAddressKind.kind, id), { addresses: [`${opts.address}/32`] }));
  }

  const abort = new AbortController();
  const engine = createEngine({ state, logger: opts.logger });
  for (const c of allControllers({ defaultHostname: opts.hostname })) engine.register(c);
  const engineDone = engine.run(abort.signal);

  const hostname = async () => {
    const res = await state.watchFor(
      newPointer<{ hostname: string }>({ namespace: "network", type: "HostnameStatuses.net.talos.dev" }, "hostname"),
      (r) => r !== undefined,
      AbortSignal.timeout(5000),
    );
    return res?.spec.hostname ?? opts.hostname;
  };
  const handler = connectNodeAdapter({
    grpc: true,
    connect: false,
    grpcWeb: false,
    readMaxBytes: MAX_MESSAGE_SIZE,
    writeMaxBytes: MAX_MESSAGE_SIZE,
    interceptors: [authorize],
    // Talos answers uncompressed (its servers register no compressor); talosctl does not compress either.
    acceptCompression: [],
    routes: (router) => {
      router.service(
        MachineService,
        createMachineService({
          platform: opts.platform,
          sha: opts.sha,
          hostname,
          rbac: () => store.active.rbac,
          config: () => store.active,
          applyConfiguration: createApplyConfiguration({
            store,
            mode: validationMode,
            reboot: opts.reboot,
          }),
        }),
      );
      router.service(cosi.State, createStateService(state, kinds));
      router.service(StorageService, createStorageService());
    },
  });
  const socketPath = join(opts.stateDir, "machined.sock");
  await rm(socketPath, { force: true });
  const machined = http2.createServer({ maxSessionMemory: 64 }, handler);
  await new Promise<void>((resolve, reject) => {
    machined.once("error", reject);
    machined.listen(socketPath, () => resolve());
  });

  const currentHostname = await hostname();
  const identity = { hostname: currentHostname, addresses: [opts.address], certSANs: node.certSANs };
  const controlPlane = node.machineType !== "worker";
  let certs: ApiCertificates;
  let trustd: Trustd | undefined;
  if (controlPlane) {
    // Control planes hold the OS CA key: they issue their own certificates and sign others' via trustd.
    certs = await issueApiCertificates(node.osCA, identity);
    const osCA = loadCertificateAuthority(decodeCertAndKey(node.osCA, "machine.ca"), "machine.ca");
    const trustdCert = await issueTrustdCertificate(node.osCA, identity);
    trustd = await startTrustd({
      host: opts.address,
      port: opts.trustdPort,
      tls: () => trustdCert,
      osCA,
      token: () => store.active.machineToken,
      logger: opts.logger,
    });
  } else {
    // Workers only know the CA certificate and the token: trustd on a control plane signs their key.
    const endpoint = clusterEndpointHost(node);
    const signed = await requestApiCertificate({
      endpoints: endpoint === "" ? [] : [endpoint],
      osCAcrt: node.osCA.crt,
      token: node.machineToken,
      hostname: currentHostname,
      addresses: [opts.address],
      logger: opts.logger,
      timeoutMs: 30 * 60_000,
    });
    certs = { ca: signed.ca, server: { cert: signed.cert, key: signed.key } };
  }
  const client = certs.client;
  const apid = await startApid({
    host: opts.address,
    port: opts.apidPort ?? APID_PORT,
    tls: () => ({ key: certs.server.key, cert: certs.server.cert, ca: certs.ca }),
    rbac: node.rbac,
    extKeyUsageCheck: node.apidCheckExtKeyUsage,
    local: localBackend(socketPath),
    localHandler: handler,
    ...(client !== undefined
      ? {
          remote: new BackendPool((target) =>
            remoteBackend(
              target,
              () => ({ ca: certs.ca, cert: client.cert, key: client.key }),
              opts.apidPort ?? APID_PORT,
            ),
          ),
        }
      : {}),
    isLocal: (target) => target === opts.address || target === currentHostname,
  });
  opts.logger.info("node ready", { address: opts.address, apid: `${apid.address.address}:${apid.address.port}` });

  return {
    state,
    apid,
    socketPath,
    async close() {
      await apid.close();
      await trustd?.close();
      await new Promise<void>((resolve) => {
        machined.close(() => resolve());
        setTimeout(resolve, 1000).unref();
      });
      abort.abort();
      await engineDone;
    },
  };
}

/** Namespaces and resource definitions, which the COSI access filter and `talosctl get` rely on. */
async function registerDefinitions(state: State): Promise<void> {
  for (const ns of TALOS_NAMESPACES) {
    await state.create(newResource(newPointer(namespaceKind.kind, ns.name), { description: ns.description }));
  }
  for (const k of ALL_KINDS) {
    const spec = fillDefinition(k.definition);
    await state.create(newResource(newPointer(resourceDefinitionKind.kind, definitionId(spec.type)), spec));
  }
}
