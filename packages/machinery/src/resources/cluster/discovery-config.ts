import { create, toBinary } from "@bufbuild/protobuf";
import { ConfigSpecSchema } from "../../api/gen/resource/definitions/cluster/cluster_pb.ts";
import { defineKind, yamlOf } from "../kind.ts";

export const DISCOVERY_CONFIG_ID = "cluster";

/** Discovery settings derived from the machine config (Talos's `cluster.Config`); YAML keys as Talos's. */
export interface DiscoveryConfigSpec {
  discoveryEnabled: boolean;
  registryKubernetesEnabled: boolean;
  registryServiceEnabled: boolean;
  /** `host:port` (443 for https, 80 for http when the URL has none). */
  serviceEndpoint: string;
  /** The endpoint is `http://`: no TLS. */
  serviceEndpointInsecure: boolean;
  /** base64 of the 32-byte AES key (`cluster.secret`). */
  serviceEncryptionKey: string;
  serviceClusterID: string;
}

/** `DiscoveryConfigs.cluster.talos.dev`: sensitive (it holds the key), namespace `config`, ID `cluster`. */
export const discoveryConfigKind = defineKind<DiscoveryConfigSpec>(
  { type: "DiscoveryConfigs.cluster.talos.dev", defaultNamespace: "config", sensitive: true },
  (spec) =>
    toBinary(
      ConfigSpecSchema,
      create(ConfigSpecSchema, {
        discoveryEnabled: spec.discoveryEnabled,
        registryKubernetesEnabled: spec.registryKubernetesEnabled,
        registryServiceEnabled: spec.registryServiceEnabled,
        serviceEndpoint: spec.serviceEndpoint,
        serviceEndpointInsecure: spec.serviceEndpointInsecure,
        serviceEncryptionKey: Buffer.from(spec.serviceEncryptionKey, "base64"),
        serviceClusterId: spec.serviceClusterID,
      }),
    ),
  (spec) => yamlOf(spec),
);
