// Public API of the resources module (`@talos/machinery/resources`): Talos resource kinds, their
// definitions and wire encodings. One kind per file under <domain>/.
import { type AffiliateSpec, affiliateKind } from "./cluster/affiliate.ts";
import { DISCOVERY_CONFIG_ID, type DiscoveryConfigSpec, discoveryConfigKind } from "./cluster/discovery-config.ts";
import { IDENTITY_ID, type IdentitySpec, identityKind } from "./cluster/identity.ts";
import { CLUSTER_INFO_ID, type ClusterInfoSpec, clusterInfoKind } from "./cluster/info.ts";
import { type MemberSpec, memberKind } from "./cluster/member.ts";
import { MACHINE_CONFIG_ID, type MachineConfigSpec, machineConfigKind } from "./config/machine-config.ts";
import { ETCD_MEMBER_ID, type EtcdMemberSpec, etcdMemberKind } from "./etcd/member.ts";
import { type ManifestSpec, manifestKind } from "./k8s/manifest.ts";
import { type NodenameSpec, nodenameKind } from "./k8s/nodename.ts";
import { type StaticPodSpec, staticPodKind } from "./k8s/static-pod.ts";
import type { ResourceKind } from "./kind.ts";
import { type NamespaceSpec, namespaceKind } from "./meta/namespace.ts";
import { resourceDefinitionKind } from "./meta/resource-definition.ts";
import { type AddressStatusSpec, addressStatusKind } from "./network/address-status.ts";
import { HOSTNAME_STATUS_ID, type HostnameStatusSpec, hostnameStatusKind } from "./network/hostname-status.ts";
import { type NodeAddressSpec, nodeAddressKind } from "./network/node-address.ts";
import {
  MACHINE_STATUS_ID,
  type MachineStage,
  type MachineStatusSpec,
  machineStatusKind,
} from "./runtime/machine-status.ts";
import { type CertSANSpec, certSANKind } from "./secrets/cert-san.ts";
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
export { defineKind, ipBytes, ipString, type ResourceKind, yamlOf } from "./kind.ts";
export { TALOS_NAMESPACES } from "./namespaces.ts";
export {
  type AddressStatusSpec,
  type AffiliateSpec,
  addressStatusKind,
  affiliateKind,
  type CertSANSpec,
  CLUSTER_INFO_ID,
  type ClusterInfoSpec,
  certSANKind,
  clusterInfoKind,
  DISCOVERY_CONFIG_ID,
  type DiscoveryConfigSpec,
  discoveryConfigKind,
  ETCD_MEMBER_ID,
  type EtcdMemberSpec,
  etcdMemberKind,
  HOSTNAME_STATUS_ID,
  type HostnameStatusSpec,
  hostnameStatusKind,
  IDENTITY_ID,
  type IdentitySpec,
  identityKind,
  MACHINE_CONFIG_ID,
  MACHINE_STATUS_ID,
  type MachineConfigSpec,
  type MachineStage,
  type MachineStatusSpec,
  type ManifestSpec,
  type MemberSpec,
  machineConfigKind,
  machineStatusKind,
  manifestKind,
  memberKind,
  type NamespaceSpec,
  type NodeAddressSpec,
  type NodenameSpec,
  namespaceKind,
  nodeAddressKind,
  nodenameKind,
  resourceDefinitionKind,
  type ServiceSpec,
  type StaticPodSpec,
  serviceKind,
  staticPodKind,
};

/** Every kind a node serves, in registration order. */
export const ALL_KINDS: readonly ResourceKind<never>[] = [
  resourceDefinitionKind,
  namespaceKind,
  machineConfigKind,
  hostnameStatusKind,
  nodeAddressKind,
  addressStatusKind,
  certSANKind,
  memberKind,
  affiliateKind,
  identityKind,
  clusterInfoKind,
  discoveryConfigKind,
  serviceKind,
  machineStatusKind,
  etcdMemberKind,
  nodenameKind,
  staticPodKind,
  manifestKind,
] as unknown as ResourceKind<never>[];
