// Public API of the resources module (`@talos/machinery/resources`): Talos resource kinds, their
// definitions and wire encodings. One kind per file under <domain>/.
import { type MemberSpec, memberKind } from "./cluster/member.ts";
import { MACHINE_CONFIG_ID, type MachineConfigSpec, machineConfigKind } from "./config/machine-config.ts";
import type { ResourceKind } from "./kind.ts";
import { type NamespaceSpec, namespaceKind } from "./meta/namespace.ts";
import { resourceDefinitionKind } from "./meta/resource-definition.ts";
import { HOSTNAME_STATUS_ID, type HostnameStatusSpec, hostnameStatusKind } from "./network/hostname-status.ts";
import { type NodeAddressSpec, nodeAddressKind } from "./network/node-address.ts";
import { type ServiceSpec, serviceKind } from "./v1alpha1/service.ts";

export {
  definitionId,
  fillDefinition,
  matchesDefinition,
  type PrintColumn,
  type ResourceDefinitionInput,
  type ResourceDefinitionSpec,
  singular,
} from "./definition.ts";
export { defineKind, ipBytes, type ResourceKind, yamlOf } from "./kind.ts";
export { TALOS_NAMESPACES } from "./namespaces.ts";
export {
  HOSTNAME_STATUS_ID,
  type HostnameStatusSpec,
  hostnameStatusKind,
  MACHINE_CONFIG_ID,
  type MachineConfigSpec,
  type MemberSpec,
  machineConfigKind,
  memberKind,
  type NamespaceSpec,
  type NodeAddressSpec,
  namespaceKind,
  nodeAddressKind,
  resourceDefinitionKind,
  type ServiceSpec,
  serviceKind,
};

/** Every kind a node serves, in registration order. */
export const ALL_KINDS: readonly ResourceKind<never>[] = [
  resourceDefinitionKind,
  namespaceKind,
  machineConfigKind,
  hostnameStatusKind,
  nodeAddressKind,
  memberKind,
  serviceKind,
] as unknown as ResourceKind<never>[];
