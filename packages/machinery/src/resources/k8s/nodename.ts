import { create, toBinary } from "@bufbuild/protobuf";
import { NodenameSpecSchema } from "../../api/gen/resource/definitions/k8s/k8s_pb.ts";
import { defineKind } from "../kind.ts";

export interface NodenameSpec {
  nodename: string;
  hostnameVersion: string;
  skipNodeRegistration: boolean;
}

/** `Nodenames.kubernetes.talos.dev` (`talosctl get nodename`): the Kubernetes node name, ID `nodename`. */
export const nodenameKind = defineKind<NodenameSpec>(
  {
    type: "Nodenames.kubernetes.talos.dev",
    defaultNamespace: "k8s",
    printColumns: [{ name: "Nodename", jsonPath: "{.nodename}" }],
  },
  (spec) => toBinary(NodenameSpecSchema, create(NodenameSpecSchema, spec)),
);
