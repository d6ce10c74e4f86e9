import { create, toBinary } from "@bufbuild/protobuf";
import { AffiliateSpecSchema } from "../../api/gen/resource/definitions/cluster/cluster_pb.ts";
import { defineKind, ipBytes, yamlOf } from "../kind.ts";
import { encodeMachineType, type MemberSpec } from "./member.ts";

/** A node of the cluster as one registry (or the merge of all) reports it; YAML keys as Talos's. */
export interface AffiliateSpec extends MemberSpec {
  nodename: string;
}

/**
 * `Affiliates.cluster.talos.dev`: in `cluster` the merged view (ID = node ID, the local node included);
 * in `cluster-raw` one per registry entry (`service/<nodeId>`).
 */
export const affiliateKind = defineKind<AffiliateSpec>(
  {
    type: "Affiliates.cluster.talos.dev",
    defaultNamespace: "cluster",
    printColumns: [
      { name: "Hostname", jsonPath: "{.hostname}" },
      { name: "Machine Type", jsonPath: "{.machineType}" },
      { name: "Addresses", jsonPath: "{.addresses}" },
    ],
  },
  (spec) =>
    toBinary(
      AffiliateSpecSchema,
      create(AffiliateSpecSchema, {
        nodeId: spec.nodeId,
        addresses: spec.addresses.map((a) => ({ ip: ipBytes(a) })),
        hostname: spec.hostname,
        nodename: spec.nodename,
        operatingSystem: spec.operatingSystem,
        machineType: encodeMachineType(spec.machineType),
        ...(spec.controlPlane !== undefined ? { controlPlane: { apiServerPort: BigInt(spec.controlPlane.port) } } : {}),
      }),
    ),
  // Talos's field order: nodename sits after hostname.
  (spec) =>
    yamlOf({
      nodeId: spec.nodeId,
      addresses: spec.addresses,
      hostname: spec.hostname,
      nodename: spec.nodename,
      operatingSystem: spec.operatingSystem,
      machineType: spec.machineType,
      ...(spec.controlPlane !== undefined ? { controlPlane: spec.controlPlane } : {}),
    }),
);
