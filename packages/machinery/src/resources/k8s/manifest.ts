import { create, toBinary } from "@bufbuild/protobuf";
import { ManifestSpecSchema } from "../../api/gen/resource/definitions/k8s/k8s_pb.ts";
import { defineKind, yamlOf } from "../kind.ts";

/** A bootstrap manifest: a list of Kubernetes objects. */
export interface ManifestSpec {
  items: Record<string, unknown>[];
}

/** `Manifests.kubernetes.talos.dev` (`talosctl get manifests`): filled once the control plane runs. */
export const manifestKind = defineKind<ManifestSpec>(
  { type: "Manifests.kubernetes.talos.dev", defaultNamespace: "controlplane" },
  (spec) =>
    toBinary(
      ManifestSpecSchema,
      create(ManifestSpecSchema, { items: spec.items.map((o) => ({ object: o as never })) }),
    ),
  (spec) => yamlOf(spec.items),
);
