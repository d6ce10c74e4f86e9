import {
  CLUSTER_INFO_ID,
  type ClusterInfoSpec,
  clusterInfoKind,
  DISCOVERY_CONFIG_ID,
  type DiscoveryConfigSpec,
  discoveryConfigKind,
  MACHINE_CONFIG_ID,
  type MachineConfigSpec,
  machineConfigKind,
} from "@talos/machinery/resources";
import { type Controller, newPointer, newResource } from "@talos/runtime";
import { type NodeConfig, readNodeConfig } from "../node/machine-config.ts";

/** `https://host/` → `host:443`, `http://host:3000/` → `host:3000`, as Talos normalises the endpoint. */
export function discoveryEndpoint(url: string): { hostPort: string; insecure: boolean } {
  const u = new URL(url);
  if (u.protocol !== "https:" && u.protocol !== "http:") {
    throw new Error(`cluster.discovery.registries.service.endpoint: expected an http(s) URL, got "${url}"`);
  }
  const port = u.port !== "" ? u.port : u.protocol === "https:" ? "443" : "80";
  return { hostPort: `${u.hostname}:${port}`, insecure: u.protocol === "http:" };
}

/** The DiscoveryConfig of a machine config (the registry flags, endpoint, key and cluster ID). */
export function discoveryConfigOf(node: NodeConfig): DiscoveryConfigSpec {
  const d = node.discovery;
  const endpoint = discoveryEndpoint(d.serviceEndpoint);
  return {
    discoveryEnabled: d.enabled,
    registryKubernetesEnabled: d.enabled && d.kubernetesEnabled,
    registryServiceEnabled: d.enabled && d.serviceEnabled,
    serviceEndpoint: endpoint.hostPort,
    serviceEndpointInsecure: endpoint.insecure,
    serviceEncryptionKey: d.clusterSecret,
    serviceClusterID: d.clusterId,
  };
}

/** cluster.ConfigController (`DiscoveryConfig/cluster`) and cluster.InfoController (`Info/current`). */
export function discoveryConfigController(): Controller {
  const config = newPointer(machineConfigKind.kind, MACHINE_CONFIG_ID);
  return {
    name: "cluster.ConfigController",
    inputs: [{ namespace: config.namespace, type: config.type, id: config.id, kind: "weak" }],
    outputs: [
      { type: discoveryConfigKind.kind.type, kind: "exclusive" },
      { type: clusterInfoKind.kind.type, kind: "exclusive" },
    ],
    async run(rt) {
      for await (const _ of rt.events()) {
        rt.startTrackingOutputs();
        const cfg = await rt.get<MachineConfigSpec>(config).catch(() => undefined);
        if (cfg !== undefined) {
          const node = readNodeConfig(cfg.spec.yaml, "machine config");
          const spec = discoveryConfigOf(node);
          await rt.modify(newResource(newPointer(discoveryConfigKind.kind, DISCOVERY_CONFIG_ID), spec), (r) => {
            r.spec = spec;
          });
          const info: ClusterInfoSpec = { clusterId: node.discovery.clusterId, clusterName: node.clusterName ?? "" };
          await rt.modify(newResource(newPointer(clusterInfoKind.kind, CLUSTER_INFO_ID), info), (r) => {
            r.spec = info;
          });
        }
        await rt.cleanupOutputs([discoveryConfigKind.kind, clusterInfoKind.kind]);
      }
    },
  };
}
