import {
  HOSTNAME_STATUS_ID,
  type HostnameStatusSpec,
  hostnameStatusKind,
  type NodenameSpec,
  nodenameKind,
} from "@talos/machinery/resources";
import { type Controller, transformController } from "@talos/runtime";

/** k8s.NodenameController: the Kubernetes node name follows the hostname. */
export function nodenameController(): Controller {
  return transformController<HostnameStatusSpec, NodenameSpec>({
    name: "k8s.NodenameController",
    input: hostnameStatusKind.kind,
    output: nodenameKind.kind,
    newSpec: () => ({ nodename: "", hostnameVersion: "", skipNodeRegistration: false }),
    map: (input) => (input.metadata.id === HOSTNAME_STATUS_ID ? "nodename" : undefined),
    transform: (input, output) => {
      output.spec = {
        nodename: input.spec.hostname,
        hostnameVersion: String(input.metadata.version),
        skipNodeRegistration: false,
      };
    },
  });
}
