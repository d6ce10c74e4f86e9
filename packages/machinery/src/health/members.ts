import { type CallOptions, createClient, type Transport } from "@connectrpc/connect";
import { parse } from "yaml";
import { cosi } from "../api/index.ts";
import { memberKind } from "../resources/index.ts";
import type { ClusterNodes } from "./checks.ts";

interface MemberView {
  readonly machineType?: string;
  readonly addresses?: readonly string[];
}

/** Control planes and workers from discovery members (first address of each); undefined without a control plane. */
export function nodesFromMembers(members: readonly MemberView[]): ClusterNodes | undefined {
  const controlPlanes: string[] = [];
  const workers: string[] = [];
  for (const m of members) {
    const address = m.addresses?.[0];
    if (address === undefined) continue;
    if (m.machineType === "controlplane" || m.machineType === "init") controlPlanes.push(address);
    else if (m.machineType === "worker") workers.push(address);
  }
  if (controlPlanes.length === 0) return undefined;
  return { controlPlanes: controlPlanes.sort(), workers: workers.sort() };
}

/**
 * The cluster's nodes as the node the headers target discovers them (its `Members`), as Talos's health check finds them when no
 * node lists are given; undefined when discovery knows no control plane.
 */
export async function discoverNodesFromMembers(
  transport: Transport,
  headers: CallOptions["headers"],
  signal?: AbortSignal,
): Promise<ClusterNodes | undefined> {
  const state = createClient(cosi.State, transport);
  const members: MemberView[] = [];
  const { namespace, type } = memberKind.kind;
  for await (const r of state.list(
    { namespace, type },
    { headers, timeoutMs: 10_000, ...(signal !== undefined ? { signal } : {}) },
  )) {
    const spec = parse(r.resource?.spec?.yamlSpec ?? "null") as MemberView | null;
    if (spec !== null) members.push(spec);
  }
  return nodesFromMembers(members);
}
