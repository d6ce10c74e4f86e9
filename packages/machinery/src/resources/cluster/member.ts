import { create, toBinary } from "@bufbuild/protobuf";
import { MemberSpecSchema } from "../../api/gen/resource/definitions/cluster/cluster_pb.ts";
import { MachineType } from "../../api/gen/resource/definitions/enums/enums_pb.ts";
import { defineKind, ipBytes } from "../kind.ts";

/** A cluster member as discovery reports it; YAML keys as Talos's. */
export interface MemberSpec {
  nodeId: string;
  addresses: string[];
  hostname: string;
  machineType: "controlplane" | "worker" | "init" | "unknown";
  operatingSystem: string;
  controlPlane?: { port: number };
}

/** The machine type as the resource protos' enum. */
export function encodeMachineType(type: MemberSpec["machineType"]): MachineType {
  return MACHINE_TYPES[type];
}

const MACHINE_TYPES = {
  unknown: MachineType.TYPE_UNKNOWN,
  init: MachineType.TYPE_INIT,
  controlplane: MachineType.TYPE_CONTROL_PLANE,
  worker: MachineType.TYPE_WORKER,
} as const;

/** `Members.cluster.talos.dev`: ID = the node name. */
export const memberKind = defineKind<MemberSpec>(
  {
    type: "Members.cluster.talos.dev",
    defaultNamespace: "cluster",
    printColumns: [
      { name: "Hostname", jsonPath: "{.hostname}" },
      { name: "Machine Type", jsonPath: "{.machineType}" },
      { name: "OS", jsonPath: "{.operatingSystem}" },
      { name: "Addresses", jsonPath: "{.addresses}" },
    ],
  },
  (spec) =>
    toBinary(
      MemberSpecSchema,
      create(MemberSpecSchema, {
        nodeId: spec.nodeId,
        addresses: spec.addresses.map((a) => ({ ip: ipBytes(a) })),
        hostname: spec.hostname,
        machineType: encodeMachineType(spec.machineType),
        operatingSystem: spec.operatingSystem,
        ...(spec.controlPlane !== undefined ? { controlPlane: { apiServerPort: BigInt(spec.controlPlane.port) } } : {}),
      }),
    ),
);
