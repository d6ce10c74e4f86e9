import { create, toBinary } from "@bufbuild/protobuf";
import { MachineConfigSpecSchema } from "../../api/gen/resource/config/config_pb.ts";
import { defineKind } from "../kind.ts";

/** The machine config as the node holds it: its YAML text. */
export interface MachineConfigSpec {
  yaml: string;
}

/** ID of the active config (`maintenance` while in maintenance mode). */
export const MACHINE_CONFIG_ID = "v1alpha1";

/** `MachineConfigs.config.talos.dev`: sensitive (admin only); the YAML spec is the config text itself. */
export const machineConfigKind = defineKind<MachineConfigSpec>(
  { type: "MachineConfigs.config.talos.dev", defaultNamespace: "config", sensitive: true },
  (spec) =>
    toBinary(
      MachineConfigSpecSchema,
      create(MachineConfigSpecSchema, { yamlMarshalled: new TextEncoder().encode(spec.yaml) }),
    ),
  (spec) => spec.yaml,
);
