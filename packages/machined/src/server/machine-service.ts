// machine.MachineService: the RPCs this node implements so far. Methods left out answer Unimplemented.
import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type ApplyConfigurationRequest,
  type ApplyConfigurationResponse,
  HostnameResponseSchema,
  type MachineService,
  VersionResponseSchema,
} from "@talos/machinery/api";
import { TALOS_VERSION } from "@talos/machinery/constants";
import type { NodeConfig } from "../node/machine-config.ts";
import { kubeconfigStream } from "./kubeconfig.ts";

/** What the service reads from the running node. */
export interface MachineServiceDeps {
  readonly platform: { readonly name: string; readonly mode: string };
  readonly sha: string;
  /** Current hostname (HostnameStatus). */
  hostname(): Promise<string>;
  /** Whether `machine.features.rbac` is on; undefined without a config. */
  rbac(): boolean | undefined;
  applyConfiguration(req: ApplyConfigurationRequest): Promise<ApplyConfigurationResponse>;
  /** The active machine config. */
  config(): NodeConfig;
}

export function createMachineService(deps: MachineServiceDeps): Partial<ServiceImpl<typeof MachineService>> {
  return {
    async version() {
      const rbac = deps.rbac();
      return create(VersionResponseSchema, {
        messages: [
          {
            version: {
              tag: TALOS_VERSION,
              sha: deps.sha,
              built: "",
              goVersion: `node ${process.version}`,
              os: process.platform,
              arch: process.arch === "x64" ? "amd64" : process.arch,
            },
            platform: { name: deps.platform.name, mode: deps.platform.mode },
            ...(rbac !== undefined ? { features: { rbac } } : {}),
          },
        ],
      });
    },
    applyConfiguration: (req) => deps.applyConfiguration(req),
    kubeconfig: () => kubeconfigStream(deps.config()),
    async hostname() {
      return create(HostnameResponseSchema, { messages: [{ hostname: await deps.hostname() }] });
    },
  };
}
