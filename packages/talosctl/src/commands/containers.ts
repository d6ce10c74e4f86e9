import { createClient } from "@connectrpc/connect";
import { type Container, ContainerDriver, MachineService, type Stats } from "@talos/machinery/api";
import { Command } from "commander";
import { callNodes, endpointHost, finishWithNodeErrors, replyNode, requireNodes } from "../transport/node-replies.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { formatTable } from "../util/tab-writer.ts";

/** The namespace and driver of `-k` (CRI's `k8s.io`) or the default (containerd's `system`). */
export function containerTarget(kubernetes: boolean): { namespace: string; driver: ContainerDriver } {
  return kubernetes
    ? { namespace: "k8s.io", driver: ContainerDriver.CRI }
    : { namespace: "system", driver: ContainerDriver.CONTAINERD };
}

/** A container's ID, drawn under its pod when it is not the pod sandbox itself. */
function display(id: string, podId: string): string {
  return id !== podId ? `└─ ${id}` : id;
}

function byId<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** `NODE NAMESPACE ID IMAGE PID STATUS`, each node's containers sorted by ID. */
export function containersTable(messages: readonly Container[], fallbackNode: string): string {
  const rows = [["NODE", "NAMESPACE", "ID", "IMAGE", "PID", "STATUS"]];
  for (const msg of messages) {
    for (const c of byId(msg.containers)) {
      rows.push([replyNode(msg, fallbackNode), c.namespace, display(c.id, c.podId), c.image, String(c.pid), c.status]);
    }
  }
  return formatTable(rows);
}

/** `NODE NAMESPACE ID MEMORY(MB) CPU`, memory in MB (10^6 bytes) with two decimals. */
export function statsTable(messages: readonly Stats[], fallbackNode: string): string {
  const rows = [["NODE", "NAMESPACE", "ID", "MEMORY(MB)", "CPU"]];
  for (const msg of messages) {
    for (const s of byId(msg.stats)) {
      rows.push([
        replyNode(msg, fallbackNode),
        s.namespace,
        display(s.id, s.podId),
        (Number(s.memoryUsage) * 1e-6).toFixed(2),
        String(s.cpuUsage),
      ]);
    }
  }
  return formatTable(rows);
}

/** `talosctl containers [-k]` (alias `c`): the containers of the nodes. */
export function registerContainers(root: Command): void {
  root.addCommand(
    new Command("containers")
      .alias("c")
      .description("List containers")
      .option("-k, --kubernetes", "use the k8s.io containerd namespace")
      .action(async (flags: { kubernetes?: boolean }, cmd: Command) => {
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        const client = createClient(MachineService, conn.transport);
        const { ok, errors } = await callNodes("error getting container list", () =>
          client.containers(containerTarget(flags.kubernetes === true), { headers: nodesHeaders(conn, nodes) }),
        );
        process.stdout.write(containersTable(ok, endpointHost(conn)));
        finishWithNodeErrors(errors);
      }),
  );
}

/** `talosctl stats [-k]`: memory and CPU usage of the nodes' containers. */
export function registerStats(root: Command): void {
  root.addCommand(
    new Command("stats")
      .description("Get container stats")
      .option("-k, --kubernetes", "use the k8s.io containerd namespace")
      .action(async (flags: { kubernetes?: boolean }, cmd: Command) => {
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        const client = createClient(MachineService, conn.transport);
        const { ok, errors } = await callNodes("error getting stats", () =>
          client.stats(containerTarget(flags.kubernetes === true), { headers: nodesHeaders(conn, nodes) }),
        );
        process.stdout.write(statsTable(ok, endpointHost(conn)));
        finishWithNodeErrors(errors);
      }),
  );
}
