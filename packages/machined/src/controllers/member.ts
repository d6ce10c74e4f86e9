import { TALOS_VERSION } from "@talos/machinery/constants";
import {
  HOSTNAME_STATUS_ID,
  type HostnameStatusSpec,
  hostnameStatusKind,
  MACHINE_CONFIG_ID,
  type MachineConfigSpec,
  type MemberSpec,
  machineConfigKind,
  memberKind,
  type NodeAddressSpec,
  nodeAddressKind,
} from "@talos/machinery/resources";
import { type Controller, newPointer, newResource } from "@talos/runtime";
import { readNodeConfig } from "../node/machine-config.ts";

/**
 * cluster.LocalMemberController: this node as a cluster member (hostname, addresses, machine type, OS).
 * Members of other nodes arrive through discovery, which comes with the node lifecycle work.
 */
export function localMemberController(): Controller {
  const config = newPointer(machineConfigKind.kind, MACHINE_CONFIG_ID);
  const hostname = newPointer(hostnameStatusKind.kind, HOSTNAME_STATUS_ID);
  const addresses = newPointer(nodeAddressKind.kind, "current");
  return {
    name: "cluster.LocalMemberController",
    inputs: [
      { namespace: config.namespace, type: config.type, id: config.id, kind: "weak" },
      { namespace: hostname.namespace, type: hostname.type, id: hostname.id, kind: "weak" },
      { namespace: addresses.namespace, type: addresses.type, id: addresses.id, kind: "weak" },
    ],
    outputs: [{ type: memberKind.kind.type, kind: "exclusive" }],
    async run(rt) {
      for await (const _ of rt.events()) {
        rt.startTrackingOutputs();
        const [cfg, host, addrs] = await Promise.all([
          rt.get<MachineConfigSpec>(config).catch(() => undefined),
          rt.get<HostnameStatusSpec>(hostname).catch(() => undefined),
          rt.get<NodeAddressSpec>(addresses).catch(() => undefined),
        ]);
        if (cfg !== undefined && host !== undefined) {
          const node = readNodeConfig(cfg.spec.yaml, "machine config");
          const controlPlane = node.machineType !== "worker";
          const spec: MemberSpec = {
            nodeId: host.spec.hostname,
            addresses: (addrs?.spec.addresses ?? []).map((a) => a.replace(/\/\d+$/, "")),
            hostname: host.spec.hostname,
            machineType: node.machineType,
            operatingSystem: `Talos (${TALOS_VERSION})`,
            ...(controlPlane ? { controlPlane: { port: 6443 } } : {}),
          };
          await rt.modify(newResource(newPointer(memberKind.kind, host.spec.hostname), spec), (r) => {
            r.spec = spec;
          });
        }
        await rt.cleanupOutputs([memberKind.kind]);
      }
    },
  };
}
