import { create, toBinary } from "@bufbuild/protobuf";
import { StaticPodSpecSchema } from "../../api/gen/resource/definitions/k8s/k8s_pb.ts";
import { defineKind, yamlOf } from "../kind.ts";

/** A static pod: the whole v1 Pod object. */
export interface StaticPodSpec {
  pod: Record<string, unknown>;
}

/** `StaticPods.kubernetes.talos.dev` (`talosctl get staticpods`): filled once the control plane runs. */
export const staticPodKind = defineKind<StaticPodSpec>(
  { type: "StaticPods.kubernetes.talos.dev", defaultNamespace: "k8s" },
  (spec) => toBinary(StaticPodSpecSchema, create(StaticPodSpecSchema, { pod: spec.pod as never })),
  (spec) => yamlOf(spec.pod),
);
