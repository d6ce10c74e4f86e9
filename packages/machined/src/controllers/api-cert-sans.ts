import {
  type CertSANSpec,
  certSANKind,
  HOSTNAME_STATUS_ID,
  type HostnameStatusSpec,
  hostnameStatusKind,
  MACHINE_CONFIG_ID,
  type MachineConfigSpec,
  machineConfigKind,
  type NodeAddressSpec,
  nodeAddressKind,
} from "@talos/machinery/resources";
import { type Controller, newPointer, newResource } from "@talos/runtime";
import { readNodeConfig } from "../node/machine-config.ts";
import { apiCertSANs } from "../pki/api-certificates.ts";

/** secrets.APICertSANsController: `CertSAN/api`, the names the node's API certificates are issued for. */
export function apiCertSANsController(): Controller {
  const config = newPointer(machineConfigKind.kind, MACHINE_CONFIG_ID);
  const hostname = newPointer(hostnameStatusKind.kind, HOSTNAME_STATUS_ID);
  const addresses = newPointer(nodeAddressKind.kind, "accumulative");
  return {
    name: "secrets.APICertSANsController",
    inputs: [config, hostname, addresses].map((p) => ({
      namespace: p.namespace,
      type: p.type,
      id: p.id,
      kind: "weak" as const,
    })),
    outputs: [{ type: certSANKind.kind.type, kind: "exclusive" }],
    async run(rt) {
      for await (const _ of rt.events()) {
        const [cfg, host, addrs] = await Promise.all([
          rt.get<MachineConfigSpec>(config).catch(() => undefined),
          rt.get<HostnameStatusSpec>(hostname).catch(() => undefined),
          rt.get<NodeAddressSpec>(addresses).catch(() => undefined),
        ]);
        if (cfg === undefined || host === undefined) continue;
        const node = readNodeConfig(cfg.spec.yaml, "machine config");
        const fqdn = host.spec.domainname === "" ? host.spec.hostname : `${host.spec.hostname}.${host.spec.domainname}`;
        const sans = apiCertSANs({
          hostname: fqdn,
          addresses: (addrs?.spec.addresses ?? []).map((a) => a.replace(/\/\d+$/, "")),
          certSANs: node.certSANs,
        });
        const spec: CertSANSpec = { ips: sans.ipAddresses, dnsNames: sans.dnsNames, fqdn };
        await rt.modify(newResource(newPointer(certSANKind.kind, "api"), spec), (r) => {
          r.spec = spec;
        });
        rt.resetRestartBackoff();
      }
    },
  };
}
