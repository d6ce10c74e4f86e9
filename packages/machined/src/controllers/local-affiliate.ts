import { TALOS_VERSION } from "@talos/machinery/constants";
import {
  type AffiliateSpec,
  affiliateKind,
  DISCOVERY_CONFIG_ID,
  type DiscoveryConfigSpec,
  discoveryConfigKind,
  HOSTNAME_STATUS_ID,
  type HostnameStatusSpec,
  hostnameStatusKind,
  IDENTITY_ID,
  type IdentitySpec,
  identityKind,
  MACHINE_CONFIG_ID,
  type MachineConfigSpec,
  machineConfigKind,
  type NodeAddressSpec,
  type NodenameSpec,
  nodeAddressKind,
  nodenameKind,
} from "@talos/machinery/resources";
import { type Controller, type Input, newPointer, newResource, type Pointer } from "@talos/runtime";
import { readNodeConfig } from "../node/machine-config.ts";

const weak = (p: Pointer): Input => ({ namespace: p.namespace, type: p.type, id: p.id, kind: "weak" });

/**
 * cluster.LocalAffiliateController: this node as an affiliate (`Affiliates` in `cluster`, ID = node ID)
 * while discovery is enabled: hostname, nodename, addresses, machine type, OS, the API server port.
 */
export function localAffiliateController(): Controller {
  const config = newPointer(machineConfigKind.kind, MACHINE_CONFIG_ID);
  const discovery = newPointer(discoveryConfigKind.kind, DISCOVERY_CONFIG_ID);
  const identity = newPointer(identityKind.kind, IDENTITY_ID);
  const hostname = newPointer(hostnameStatusKind.kind, HOSTNAME_STATUS_ID);
  const nodename = newPointer(nodenameKind.kind, "nodename");
  const addresses = newPointer(nodeAddressKind.kind, "current");
  return {
    name: "cluster.LocalAffiliateController",
    inputs: [weak(config), weak(discovery), weak(identity), weak(hostname), weak(nodename), weak(addresses)],
    outputs: [{ type: affiliateKind.kind.type, kind: "shared" }],
    async run(rt) {
      for await (const _ of rt.events()) {
        rt.startTrackingOutputs();
        const opt = <T>(p: Pointer<T>) => rt.get<T>(p).catch(() => undefined);
        const [cfg, disc, id, host, name, addrs] = await Promise.all([
          opt<MachineConfigSpec>(config),
          opt<DiscoveryConfigSpec>(discovery),
          opt<IdentitySpec>(identity),
          opt<HostnameStatusSpec>(hostname),
          opt<NodenameSpec>(nodename),
          opt<NodeAddressSpec>(addresses),
        ]);
        const node = cfg !== undefined ? readNodeConfig(cfg.spec.yaml, "machine config") : undefined;
        if (
          node !== undefined &&
          disc?.spec.discoveryEnabled === true &&
          id !== undefined &&
          host !== undefined &&
          name !== undefined
        ) {
          const fqdn =
            host.spec.domainname === "" ? host.spec.hostname : `${host.spec.hostname}.${host.spec.domainname}`;
          const spec: AffiliateSpec = {
            nodeId: id.spec.nodeId,
            addresses: (addrs?.spec.addresses ?? []).map((a) => a.replace(/\/\d+$/, "")),
            hostname: fqdn,
            nodename: name.spec.nodename,
            machineType: node.machineType,
            operatingSystem: `Talos (${TALOS_VERSION})`,
            ...(node.machineType !== "worker"
              ? { controlPlane: { port: controlPlanePort(node.clusterEndpoint) } }
              : {}),
          };
          await rt.modify(newResource(newPointer(affiliateKind.kind, spec.nodeId), spec), (r) => {
            r.spec = spec;
          });
        }
        await rt.cleanupOutputs([affiliateKind.kind]);
      }
    },
  };
}

/** The API server port, from the cluster endpoint URL (Talos's default 6443). */
function controlPlanePort(endpoint: string): number {
  try {
    const port = new URL(endpoint).port;
    return port === "" ? 6443 : Number(port);
  } catch {
    return 6443;
  }
}
