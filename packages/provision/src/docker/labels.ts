// The labels Talos's docker provisioner puts on what it creates, and the filters that find them again.
import type { NodeType } from "../provisioner.ts";

export const LABEL_OWNED = "talos.owned";
export const LABEL_CLUSTER_NAME = "talos.cluster.name";
export const LABEL_TYPE = "talos.type";

/** Labels of a cluster's network. */
export function clusterLabels(cluster: string): Record<string, string> {
  return { [LABEL_OWNED]: "true", [LABEL_CLUSTER_NAME]: cluster };
}

/** Labels of a node container. */
export function nodeLabels(cluster: string, type: NodeType): Record<string, string> {
  return { ...clusterLabels(cluster), [LABEL_TYPE]: type };
}

/** The `talos.type` of a cluster's discovery service container (not a node). */
export const DISCOVERY_SERVICE_TYPE = "discovery-service";

/** Labels of the discovery service container. */
export function discoveryServiceLabels(cluster: string): Record<string, string> {
  return { ...clusterLabels(cluster), [LABEL_TYPE]: DISCOVERY_SERVICE_TYPE };
}

/** A Docker API `filters` value selecting what belongs to a cluster (or, without one, to any Talos cluster). */
export function labelFilters(cluster?: string): { label: string[] } {
  const label = [`${LABEL_OWNED}=true`];
  if (cluster !== undefined) label.push(`${LABEL_CLUSTER_NAME}=${cluster}`);
  return { label };
}

/** A node type from a `talos.type` label; Talos's "init" node is a control plane. */
export function nodeTypeFromLabel(value: string | undefined): NodeType {
  return value === "worker" ? "worker" : "controlplane";
}
