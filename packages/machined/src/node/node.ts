// A Talos node as one process: resource state and controllers, machined's API on a unix socket, and the
// system services (apid on <address>:50000, trustd, etcd) under the supervisor. Runs as a plain process for
// development and tests (`machined --state-dir DIR --address 127.0.0.N`), several side by side on loopback
// addresses, and as PID 1 of a container node.
import { mkdir, rm } from "node:fs/promises";
import http2 from "node:http2";
import { join } from "node:path";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { ClusterService, cosi, MachineService, StorageService, TimeService } from "@talos/machinery/api";
import {
  ALL_KINDS,
  addressStatusKind,
  definitionId,
  fillDefinition,
  memberKind,
  namespaceKind,
  nodeAddressKind,
  type ResourceKind,
  resourceDefinitionKind,
  TALOS_NAMESPACES,
} from "@talos/machinery/resources";
import { createEngine, createInMemoryState, type Logger, newPointer, newResource, type State } from "@talos/runtime";
import { MAX_MESSAGE_SIZE } from "../apid/grpc-frame.ts";
import type { DiscoveryHandle } from "../controllers/discovery-service.ts";
import { allControllers } from "../controllers/index.ts";
import { writeFileAtomic } from "../os/write-file-atomic.ts";
import { createApplyConfiguration } from "../server/apply-configuration.ts";
import { authorize } from "../server/authz.ts";
import { createClusterService } from "../server/cluster-service.ts";
import { createStateService } from "../server/cosi-state-service.ts";
import { createEtcdApi } from "../server/etcd-api.ts";
import { createLifecycleApi } from "../server/lifecycle-api.ts";
import { createMachineService } from "../server/machine-service.ts";
import { createServicesApi } from "../server/services-api.ts";
import { createStorageService } from "../server/storage-service.ts";
import { createSystemApi } from "../server/system-api.ts";
import { createTimeService } from "../server/time-service.ts";
import { apidService } from "../services/apid.ts";
import { EtcdManager } from "../services/etcd/manager.ts";
import { machinedService } from "../services/machined.ts";
import { trustdService } from "../services/trustd.ts";
import { Supervisor } from "../supervisor/index.ts";
import { nodeAddressStatuses } from "./address-status.ts";
import { ConfigStore } from "./config-store.ts";
import { EventBus } from "./event-bus.ts";
import { bufferedLogger } from "./logger.ts";
import { setMachineStage, trackMachineStatus } from "./machine-status.ts";
import { runMaintenance } from "./maintenance.ts";
import { publishServiceStatus } from "./service-status.ts";
import { hasStateConfig, STATE_CONFIG_FILE } from "./state-dir.ts";

export interface NodeOptions {
  readonly stateDir: string;
  /** The node's address: its services listen on it, and it is the node's address in its resources. */
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
  /** Stops the node for good (the process exits). */
  readonly shutdown?: () => void;
  /** EPHEMERAL (`/var`); default `<stateDir>/var`. */
  readonly varDir?: string;
  /** Runtime sockets (`/system/run`); default `stateDir`. */
  readonly runDir?: string;
  /** Generated secrets such as etcd's PKI (`/system/secrets`); default `<stateDir>/system/secrets`. */
  readonly secretsDir?: string;
  /**
   * Services listen on all addresses (a node with its own network, e.g. a container) rather than only on
   * `address` (several process nodes sharing one host).
   */
  readonly listenAll?: boolean;
  /** Test knobs: pauses of the etcd join/promotion loops and service restarts. */
  readonly timing?: {
    readonly etcdJoinRetryMs?: number;
    readonly etcdPromoteRetryMs?: number;
    readonly restartDelayMs?: number;
    /** Affiliate TTL in the discovery service (default Talos's 30 minutes). */
    readonly discoveryTtlMs?: number;
  };
}

export interface RunningNode {
  readonly state: State;
  readonly supervisor: Supervisor;
  readonly socketPath: string;
  close(): Promise<void>;
}

export async function startNode(opts: NodeOptions): Promise<RunningNode> {
  await mkdir(opts.stateDir, { recursive: true, mode: 0o700 });
  const supervisor = new Supervisor();
  // Everything machined logs also lands in its `machined` log buffer (`talosctl logs machined`).
  const logger = bufferedLogger(opts.logger, supervisor.logs.get("machined"));
  const events = new EventBus();
  const state = createInMemoryState();
  await registerDefinitions(state);
  const kinds = new Map<string, ResourceKind<unknown>>(ALL_KINDS.map((k) => [k.kind.type, k as ResourceKind<unknown>]));
  const validationMode = opts.platform.mode === "metal" ? "metal" : "container";
  for (const id of ["default", "current", "accumulative"]) {
    await state.create(newResource(newPointer(nodeAddressKind.kind, id), { addresses: [`${opts.address}/32`] }));
  }
  for (const { id, spec } of nodeAddressStatuses(opts.address, opts.listenAll === true)) {
    await state.create(newResource(newPointer(addressStatusKind.kind, id), spec));
  }

  await setMachineStage(state, "booting");
  if (!(await hasStateConfig(opts.stateDir))) {
    // No config in STATE: maintenance mode until one is applied, then boot with it (no reboot needed).
    await setMachineStage(state, "maintenance");
    const config = await runMaintenance({
      address: opts.address,
      port: opts.apidPort,
      hostname: opts.hostname,
      mode: validationMode,
      state,
      kinds,
      logger,
    });
    await writeFileAtomic(join(opts.stateDir, STATE_CONFIG_FILE), config.text, 0o600);
    await setMachineStage(state, "booting");
  }
  const store = await ConfigStore.open(state, opts.stateDir);
  // Certificates and service settings follow the config the node booted with; changing them needs a reboot.
  const node = store.active;

  const abort = new AbortController();
  const engine = createEngine({
    state,
    logger: bufferedLogger(opts.logger, supervisor.logs.get("controller-runtime")),
  });
  const discovery: DiscoveryHandle = { client: undefined };
  for (const c of allControllers({
    defaultHostname: opts.hostname,
    stateDir: opts.stateDir,
    discovery,
    ...(opts.timing?.discoveryTtlMs !== undefined ? { discoveryTtlMs: opts.timing.discoveryTtlMs } : {}),
  }))
    engine.register(c);
  const engineDone = engine.run(abort.signal);
  const unpublish = publishServiceStatus(supervisor, state, events, logger);

  const hostname = async () => {
    const res = await state.watchFor(
      newPointer<{ hostname: string }>({ namespace: "network", type: "HostnameStatuses.net.talos.dev" }, "hostname"),
      (r) => r !== undefined,
      AbortSignal.timeout(5000),
    );
    return res?.spec.hostname ?? opts.hostname;
  };
  const varDir = opts.varDir ?? join(opts.stateDir, "var");
  const etcd =
    node.machineType === "worker"
      ? undefined
      : new EtcdManager({
          address: opts.address,
          listenAddress: opts.listenAll === true ? "0.0.0.0" : opts.address,
          varDir,
          pkiDir: join(opts.secretsDir ?? join(opts.stateDir, "system", "secrets"), "etcd"),
          store,
          hostname,
          logger,
          joinRetryMs: opts.timing?.etcdJoinRetryMs,
          promoteRetryMs: opts.timing?.etcdPromoteRetryMs,
          restartDelayMs: opts.timing?.restartDelayMs,
        });
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
      router.service(MachineService, {
        ...createMachineService({
          platform: opts.platform,
          sha: opts.sha,
          hostname,
          rbac: () => store.active.rbac,
          config: () => store.active,
          applyConfiguration: createApplyConfiguration({ store, mode: validationMode, reboot: opts.reboot }),
        }),
        ...createServicesApi(supervisor, events),
        ...createSystemApi(),
        ...createEtcdApi({ etcd, supervisor }),
        ...createLifecycleApi({
          stateDir: opts.stateDir,
          varDir,
          logger,
          reboot: opts.reboot,
          shutdown: opts.shutdown ?? opts.reboot,
          leaveDiscovery: async () => {
            await discovery.client?.deleteLocal();
          },
          ...(etcd !== undefined
            ? {
                leaveEtcd: async () => {
                  if (supervisor.isRunning("etcd")) await etcd.leave(() => supervisor.stop("etcd"));
                },
              }
            : {}),
        }),
      });
      router.service(cosi.State, createStateService(state, kinds));
      router.service(StorageService, createStorageService());
      router.service(TimeService, createTimeService());
      router.service(
        ClusterService,
        createClusterService({
          address: opts.address,
          config: () => store.active,
          etcd,
          members: async () => (await state.list(memberKind.kind)).map((m) => m.spec),
        }),
      );
    },
  });
  const runDir = opts.runDir ?? opts.stateDir;
  await mkdir(runDir, { recursive: true, mode: 0o700 });
  const socketPath = join(runDir, "machined.sock");
  await rm(socketPath, { force: true });
  const machined = http2.createServer({ maxSessionMemory: 64 }, handler);
  await new Promise<void>((resolve, reject) => {
    machined.once("error", reject);
    machined.listen(socketPath, () => resolve());
  });

  supervisor.load(machinedService(socketPath));
  supervisor.load(
    apidService({
      address: opts.address,
      port: opts.apidPort,
      config: node,
      hostname,
      socketPath,
      localHandler: handler,
      logger,
    }),
  );
  if (etcd !== undefined) {
    supervisor.load(trustdService({ address: opts.address, port: opts.trustdPort, store, hostname, logger }));
    supervisor.load(etcd.service());
  }
  const untrack = trackMachineStatus(state, supervisor, etcd);
  supervisor.startAll();
  logger.info("services started", {
    services: supervisor
      .list()
      .map((s) => s.id)
      .join(","),
  });

  return {
    state,
    supervisor,
    socketPath,
    async close() {
      untrack();
      await supervisor.shutdown();
      unpublish();
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
