import { create, toBinary } from "@bufbuild/protobuf";
import { IdentitySpecSchema } from "../../api/gen/resource/definitions/cluster/cluster_pb.ts";
import { defineKind } from "../kind.ts";

export const IDENTITY_ID = "local";

/** The node's discovery identity: base62 of 32 random bytes, kept in STATE across reboots. */
export interface IdentitySpec {
  nodeId: string;
}

/** `Identities.cluster.talos.dev`, ID `local`. */
export const identityKind = defineKind<IdentitySpec>(
  {
    type: "Identities.cluster.talos.dev",
    defaultNamespace: "cluster",
    printColumns: [{ name: "ID", jsonPath: "{.nodeId}" }],
  },
  (spec) => toBinary(IdentitySpecSchema, create(IdentitySpecSchema, spec)),
);
