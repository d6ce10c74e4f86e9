import { createClient } from "@connectrpc/connect";
import { MachineService, type ServiceInfo } from "@talos/machinery/api";
import { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { goDurationSeconds, timestampMs } from "../output/go-format.ts";
import {
  callNodes,
  endpointHost,
  finishWithNodeErrors,
  type NodeError,
  replyNode,
  requireNodes,
} from "../transport/node-replies.ts";
import { connect, nodesHeaders, type TalosConnection } from "../transport/talos-client.ts";
import { formatTable } from "../util/tab-writer.ts";

/**
 * `talosctl service [<id> [start|stop|restart|status]]`: lists the services of the nodes, shows one
 * service with its events, or asks the nodes to start, stop or restart it.
 */
export function registerService(root: Command): void {
  root.addCommand(
    new Command("service")
      .alias("services")
      .usage("[<id> [start|stop|restart|status]] [flags]")
      .summary("Retrieve the state of a service (or all services), control service state")
      .description(
        "Service control command. If run without arguments, lists all the services and their state.\n" +
          "If service ID is specified, default action 'status' is executed which shows status of a single list service.\n" +
          "With actions 'start', 'stop', 'restart', service state is updated respectively.",
      )
      .argument("[id]")
      .argument("[action]")
      .action(async (id: string | undefined, action: string | undefined, _flags: unknown, cmd: Command) => {
        await runService(cmd, id ?? "", action ?? "status");
      }),
  );
}

async function runService(cmd: Command, id: string, action: string): Promise<void> {
  if (!["status", "start", "stop", "restart"].includes(action)) {
    throw new CliError(`unsupported service action: ${JSON.stringify(action)}`);
  }
  const conn = await connect(cmd);
  const nodes = requireNodes(conn);
  switch (action) {
    case "status":
      if (id === "") await serviceList(conn, nodes);
      else await serviceInfo(conn, nodes, id);
      return;
    default:
      await serviceAction(conn, nodes, id, action as "start" | "stop" | "restart");
  }
}

/** The HEALTH column: `?` when unknown, `OK` or `Fail`. */
export function healthStatus(svc: ServiceInfo): string {
  const h = svc.health;
  if (h === undefined || h.unknown) return "?";
  return h.healthy ? "OK" : "Fail";
}

function lastEvent(svc: ServiceInfo) {
  const events = svc.events?.events ?? [];
  return events[events.length - 1];
}

/** One row of the service table. */
export function serviceRow(node: string, svc: ServiceInfo, now: number): string[] {
  const last = lastEvent(svc);
  const lastMs = last !== undefined ? timestampMs(last.ts) : undefined;
  const lastUpdated = last === undefined ? "" : goDurationSeconds(now - (lastMs ?? 0));
  return [node, svc.id, svc.state, healthStatus(svc), `${lastUpdated} ago`, last?.msg ?? "<none>"];
}

async function serviceList(conn: TalosConnection, nodes: string[]): Promise<void> {
  const client = createClient(MachineService, conn.transport);
  const { ok, errors } = await callNodes("error listing services", () =>
    client.serviceList({}, { headers: nodesHeaders(conn, nodes) }),
  );
  const rows = [["NODE", "SERVICE", "STATE", "HEALTH", "LAST CHANGE", "LAST EVENT"]];
  const now = Date.now();
  for (const msg of ok) {
    for (const svc of msg.services) rows.push(serviceRow(replyNode(msg, endpointHost(conn)), svc, now));
  }
  process.stdout.write(formatTable(rows));
  finishWithNodeErrors(errors);
}

/** The detail view of one service on one node: NODE, ID, STATE, HEALTH, then EVENTS newest first. */
export function serviceDetailRows(node: string, svc: ServiceInfo, now: number): string[][] {
  const rows = [
    ["NODE", node],
    ["ID", svc.id],
    ["STATE", svc.state],
    ["HEALTH", healthStatus(svc)],
  ];
  if ((svc.health?.lastMessage ?? "") !== "") rows.push(["LAST HEALTH MESSAGE", svc.health?.lastMessage ?? ""]);
  let label = "EVENTS";
  const events = svc.events?.events ?? [];
  for (let i = events.length - 1; i >= 0; i--) {
    const ev = events[i];
    if (ev === undefined) continue;
    const age = goDurationSeconds(now - (timestampMs(ev.ts) ?? 0));
    rows.push([label, `[${ev.state}]: ${ev.msg} (${age} ago)`]);
    label = "";
  }
  return rows;
}

async function serviceInfo(conn: TalosConnection, nodes: string[], id: string): Promise<void> {
  const client = createClient(MachineService, conn.transport);
  const { ok, errors } = await callNodes("error listing services", () =>
    client.serviceList({}, { headers: nodesHeaders(conn, nodes) }),
  );
  const rows: string[][] = [];
  const now = Date.now();
  let found = 0;
  for (const msg of ok) {
    for (const svc of msg.services) {
      if (svc.id !== id) continue;
      found++;
      rows.push(...serviceDetailRows(replyNode(msg, endpointHost(conn)), svc, now));
    }
  }
  if (found === 0) {
    throw new CliError(
      `service ${JSON.stringify(id)} is not registered on any nodes` +
        (errors.length > 0 ? `\n${errors.map((e) => `\t* ${e.node}: ${e.error}`).join("\n")}` : ""),
    );
  }
  process.stdout.write(formatTable(rows));
  finishWithNodeErrors(errors);
}

async function serviceAction(
  conn: TalosConnection,
  nodes: string[],
  id: string,
  action: "start" | "stop" | "restart",
): Promise<void> {
  const client = createClient(MachineService, conn.transport);
  const headers = nodesHeaders(conn, nodes);
  // Talos words all three failures alike.
  const what = "error starting service";
  let result: { ok: { metadata?: { hostname: string } | undefined; resp: string }[]; errors: NodeError[] };
  switch (action) {
    case "start":
      result = await callNodes(what, () => client.serviceStart({ id }, { headers }));
      break;
    case "stop":
      result = await callNodes(what, () => client.serviceStop({ id }, { headers }));
      break;
    default:
      result = await callNodes(what, () => client.serviceRestart({ id }, { headers }));
  }
  const rows = [["NODE", "RESPONSE"]];
  for (const msg of result.ok)
    rows.push([msg.metadata !== undefined ? msg.metadata.hostname : endpointHost(conn), msg.resp]);
  process.stdout.write(formatTable(rows));
  finishWithNodeErrors(result.errors);
}
