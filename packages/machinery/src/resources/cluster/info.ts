import { create, toBinary } from "@bufbuild/protobuf";
import { InfoSpecSchema } from "../../api/gen/resource/definitions/cluster/cluster_pb.ts";
import { defineKind } from "../kind.ts";

export const CLUSTER_INFO_ID = "current";

export interface ClusterInfoSpec {
  clusterId: string;
  clusterName: string;
}

/** `Infos.cluster.talos.dev`, ID `current`: the cluster's ID and name from the machine config. */
export const clusterInfoKind = defineKind<ClusterInfoSpec>(
  {
    type: "Infos.cluster.talos.dev",
    defaultNamespace: "cluster",
    printColumns: [
      { name: "Cluster ID", jsonPath: "{.clusterId}" },
      { name: "Cluster Name", jsonPath: "{.clusterName}" },
    ],
  },
  (spec) => toBinary(InfoSpecSchema, create(InfoSpecSchema, spec)),
);
