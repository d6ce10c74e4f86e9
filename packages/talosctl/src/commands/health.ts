import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { ClusterService, MachineService } from "@talos/machinery/api";
import {
  type ClusterNodes,
  defaultHealthChecks,
  discoverNodesFromMembers,
  runHealthChecks,
} from "@talos/machinery/health";
import { Command } from "commander";
import { boolOption } from "../cli/bool-option.ts";
import { CliError } from "../cli/errors.ts";
import { collectList } from "../cli/program.ts";
import { toCliError } from "../transport/rpc-error.ts";
import { connect, nodeHeaders, type TalosConnection } from "../transport/talos-client.ts";
import { parseGoDuration } from "./apply-config.ts";

interface HealthFlags {
  readonly controlPlaneNodes?: string[];
  readonly workerNodes?: string[];
  readonly waitTimeout: string;
  readonly server: boolean;
}

/**
 * `talosctl health`: Talos's cluster checks in Talos's order, printed as each waits and passes. By default
 * the target node runs them (`--server`); `--server=false` runs them here. Exits non-zero naming the check
 * that did not pass within `--wait-timeout`.
 */
export function registerHealth(root: Command): void {
  root.addCommand(
    new Command("health")
      .description("Check cluster health")
      .option("--control-plane-nodes <ips>", "specify IPs of control plane nodes", collectList)
      .option("--worker-nodes <ips>", "specify IPs of worker nodes", collectList)
      .option("--wait-timeout <duration>", "timeout to wait for the cluster to be ready", "20m")
      .addOption(boolOption("--server", "run server-side check", true))
      .action(async (flags: HealthFlags, cmd: Command) => {
        await runHealth(cmd, flags);
      }),
  );
}

async function runHealth(cmd: Command, flags: HealthFlags): Promise<void> {
  const waitMs = parseGoDuration(flags.waitTimeout);
  const conn = await connect(cmd);
  if (conn.nodes.length > 1)
    throw new CliError("health check requires a single node (-n): the node that runs the checks");
  const node = conn.nodes[0] ?? "";
  const report = (line: string) => process.stderr.write(`${line}\n`);
  if (flags.server) {
    const cluster = createClient(ClusterService, conn.transport);
    try {
      for await (const p of cluster.healthCheck(
        {
          waitTimeout: durationFromMs(waitMs),
          clusterInfo: { controlPlaneNodes: flags.controlPlaneNodes ?? [], workerNodes: flags.workerNodes ?? [] },
        },
        { headers: nodeHeaders(conn, node), timeoutMs: waitMs + 30_000 },
      )) {
        report(p.message);
      }
    } catch (e) {
      throw toCliError(e, "healthcheck error");
    }
    return;
  }
  const nodes = await discoverNodes(conn, node, flags);
  report(`discovered nodes: ${JSON.stringify([...nodes.controlPlanes, ...nodes.workers])}`);
  try {
    await runHealthChecks(defaultHealthChecks(conn.transport, nodes), Date.now() + waitMs, report);
  } catch (e) {
    throw toCliError(e, "healthcheck error");
  }
}

/**
 * The nodes to check: as given, else discovery's members on the node (as Talos does), else the control
 * planes of etcd's membership with the workers given.
 */
async function discoverNodes(conn: TalosConnection, node: string, flags: HealthFlags): Promise<ClusterNodes> {
  if ((flags.controlPlaneNodes ?? []).length > 0) {
    return { controlPlanes: flags.controlPlaneNodes ?? [], workers: flags.workerNodes ?? [] };
  }
  const fromMembers = await discoverNodesFromMembers(conn.transport, nodeHeaders(conn, node)).catch(() => undefined);
  if (fromMembers !== undefined) {
    return (flags.workerNodes ?? []).length > 0 ? { ...fromMembers, workers: flags.workerNodes ?? [] } : fromMembers;
  }
  const machine = createClient(MachineService, conn.transport);
  try {
    const r = await machine.etcdMemberList(
      { queryLocal: true },
      { headers: nodeHeaders(conn, node), timeoutMs: 10_000 },
    );
    const ips = (r.messages[0]?.members ?? []).flatMap((m) =>
      m.peerUrls.map((u) => new URL(u).hostname.replace(/^\[(.*)\]$/, "$1")),
    );
    return { controlPlanes: ips.sort(), workers: flags.workerNodes ?? [] };
  } catch (e) {
    throw toCliError(e, "discovering the control plane nodes (pass --control-plane-nodes)");
  }
}
