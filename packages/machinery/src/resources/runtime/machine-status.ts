import { create, toBinary } from "@bufbuild/protobuf";
import { RuntimeMachineStage } from "../../api/gen/resource/definitions/enums/enums_pb.ts";
import { MachineStatusSpecSchema } from "../../api/gen/resource/definitions/runtime/runtime_pb.ts";
import { defineKind } from "../kind.ts";

export type MachineStage =
  | "unknown"
  | "booting"
  | "installing"
  | "maintenance"
  | "running"
  | "rebooting"
  | "shutting down"
  | "resetting"
  | "upgrading";

export interface MachineStatusSpec {
  stage: MachineStage;
  status: { ready: boolean; unmetConditions: { name: string; reason: string }[] };
}

const STAGES: Record<MachineStage, number> = {
  unknown: RuntimeMachineStage.MACHINE_STAGE_UNKNOWN,
  booting: RuntimeMachineStage.MACHINE_STAGE_BOOTING,
  installing: RuntimeMachineStage.MACHINE_STAGE_INSTALLING,
  maintenance: RuntimeMachineStage.MACHINE_STAGE_MAINTENANCE,
  running: RuntimeMachineStage.MACHINE_STAGE_RUNNING,
  rebooting: RuntimeMachineStage.MACHINE_STAGE_REBOOTING,
  "shutting down": 6,
  resetting: 7,
  upgrading: 8,
};

export const MACHINE_STATUS_ID = "machine";

/** `MachineStatuses.runtime.talos.dev` (`talosctl get machinestatus`): the boot stage and readiness. */
export const machineStatusKind = defineKind<MachineStatusSpec>(
  {
    type: "MachineStatuses.runtime.talos.dev",
    defaultNamespace: "runtime",
    printColumns: [
      { name: "Stage", jsonPath: "{.stage}" },
      { name: "Ready", jsonPath: "{.status.ready}" },
    ],
  },
  (spec) =>
    toBinary(
      MachineStatusSpecSchema,
      create(MachineStatusSpecSchema, {
        stage: STAGES[spec.stage] as RuntimeMachineStage,
        status: { ready: spec.status.ready, unmetConditions: spec.status.unmetConditions },
      }),
    ),
);
