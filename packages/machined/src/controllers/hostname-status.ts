import {
  HOSTNAME_STATUS_ID,
  type HostnameStatusSpec,
  hostnameStatusKind,
  MACHINE_CONFIG_ID,
  type MachineConfigSpec,
  machineConfigKind,
} from "@talos/machinery/resources";
import { type Controller, newPointer, newResource } from "@talos/runtime";
import { readNodeConfig } from "../node/machine-config.ts";

/**
 * network.HostnameStatusController: the effective hostname, from `machine.network.hostname` or else the
 * platform's default (a container's or process node's own name).
 */
export function hostnameStatusController(defaultHostname: string): Controller {
  const config = newPointer(machineConfigKind.kind, MACHINE_CONFIG_ID);
  return {
    name: "network.HostnameStatusController",
    inputs: [{ namespace: config.namespace, type: config.type, id: config.id, kind: "weak" }],
    outputs: [{ type: hostnameStatusKind.kind.type, kind: "exclusive" }],
    async run(rt) {
      for await (const _ of rt.events()) {
        let configured: string | undefined;
        try {
          const cfg = await rt.get<MachineConfigSpec>(config);
          configured = readNodeConfig(cfg.spec.yaml, "machine config").hostname;
        } catch {
          configured = undefined;
        }
        const fqdn = configured ?? defaultHostname;
        const dot = fqdn.indexOf(".");
        const spec: HostnameStatusSpec = {
          hostname: dot < 0 ? fqdn : fqdn.slice(0, dot),
          domainname: dot < 0 ? "" : fqdn.slice(dot + 1),
        };
        await rt.modify(newResource(newPointer(hostnameStatusKind.kind, HOSTNAME_STATUS_ID), spec), (r) => {
          r.spec = spec;
        });
        rt.resetRestartBackoff();
      }
    },
  };
}
