// cluster.ClusterService/HealthCheck: the cluster checks run on this node, as Talos's default
// `talosctl health` does. The checks reach the other nodes through this node's apid with a short-lived
// client certificate carrying the caller's roles, so the caller gets no more access than it has.
import { create } from "@bufbuild/protobuf";
import { durationMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { type ClusterService, HealthCheckProgressSchema } from "@talos/machinery/api";
import { type ClusterNodes, defaultHealthChecks, nodesFromMembers, runHealthChecks } from "@talos/machinery/health";
import { decodeCertAndKey, issueClientCertificate } from "@talos/machinery/secrets";
import type { NodeConfig } from "../node/machine-config.ts";
import { nodeTlsKey } from "../pki/api-certificates.ts";
import type { EtcdManager } from "../services/etcd/manager.ts";
import { callerRolesKey } from "./authz.ts";

export interface ClusterServiceDeps {
  readonly address: string;
  readonly config: () => NodeConfig;
  readonly etcd: EtcdManager | undefined;
  /** This node's discovery members (machine type and addresses). */
  readonly members?: () => Promise<readonly { machineType: string; addresses: readonly string[] }[]>;
}

const DEFAULT_WAIT_MS = 20 * 60_000;

export function createClusterService(deps: ClusterServiceDeps): Partial<ServiceImpl<typeof ClusterService>> {
  return {
    async *healthCheck(req, ctx: HandlerContext) {
      const node = deps.config();
      if (node.osCA.key === "") {
        throw new ConnectError(
          "health checks run on control plane nodes (they hold the OS CA)",
          Code.FailedPrecondition,
        );
      }
      const client = await issueClientCertificate(decodeCertAndKey(node.osCA, "machine.ca"), {
        roles: [...ctx.values.get(callerRolesKey)],
        lifetimeMs: 60 * 60_000,
      });
      const host = deps.address.includes(":") ? `[${deps.address}]` : deps.address;
      const transport = createGrpcTransport({
        baseUrl: `https://${host}:50000`,
        nodeOptions: { ca: decodeCertAndKey(node.osCA).crt, cert: client.crt, key: nodeTlsKey(client.key) },
      });
      const nodes = await clusterNodes(req.clusterInfo, deps);
      const progress: string[] = [];
      let wake: (() => void) | undefined;
      let done = false;
      let failure: unknown;
      const report = (line: string) => {
        progress.push(line);
        wake?.();
      };
      report(`discovered nodes: ${JSON.stringify([...nodes.controlPlanes, ...nodes.workers])}`);
      const waitMs = req.waitTimeout !== undefined ? durationMs(req.waitTimeout) : DEFAULT_WAIT_MS;
      void runHealthChecks(defaultHealthChecks(transport, nodes), Date.now() + waitMs, report, ctx.signal)
        .catch((e: unknown) => {
          failure = e;
        })
        .finally(() => {
          done = true;
          wake?.();
        });
      for (;;) {
        const line = progress.shift();
        if (line !== undefined) {
          yield create(HealthCheckProgressSchema, { message: line });
          continue;
        }
        if (done) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      if (failure !== undefined) {
        throw failure instanceof ConnectError ? failure : new ConnectError(String(failure), Code.Unknown);
      }
    },
  };
}

/**
 * The nodes to check: as given, else discovery's members (as Talos does), else the control planes from
 * etcd's membership (workers must then be given).
 */
async function clusterNodes(
  info: { controlPlaneNodes: string[]; workerNodes: string[] } | undefined,
  deps: ClusterServiceDeps,
): Promise<ClusterNodes> {
  if (info !== undefined && info.controlPlaneNodes.length > 0) {
    return { controlPlanes: info.controlPlaneNodes, workers: info.workerNodes };
  }
  const fromMembers = nodesFromMembers((await deps.members?.().catch(() => undefined)) ?? []);
  if (fromMembers !== undefined) {
    return (info?.workerNodes ?? []).length > 0 ? { ...fromMembers, workers: info?.workerNodes ?? [] } : fromMembers;
  }
  let controlPlanes = [deps.address];
  if (deps.etcd !== undefined) {
    try {
      const members = await (await deps.etcd.localClient()).memberList({ timeoutMs: 5000 });
      const ips = members.flatMap((m) => m.peerUrls.map((u) => new URL(u).hostname.replace(/^\[(.*)\]$/, "$1")));
      if (ips.length > 0) controlPlanes = ips.sort();
    } catch {
      // etcd not up yet: the etcd checks will say so
    }
  }
  return { controlPlanes, workers: info?.workerNodes ?? [] };
}
