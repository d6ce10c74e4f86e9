import { create, toBinary } from "@bufbuild/protobuf";
import { NamespaceSpecSchema } from "../../api/gen/v1alpha1/meta_pb.ts";
import { defineKind } from "../kind.ts";

export interface NamespaceSpec {
  description: string;
}

/** `Namespaces.meta.cosi.dev`: one per namespace; the COSI access filter refuses unknown namespaces. */
export const namespaceKind = defineKind<NamespaceSpec>(
  { type: "Namespaces.meta.cosi.dev", defaultNamespace: "meta", aliases: ["ns"] },
  (spec) => toBinary(NamespaceSpecSchema, create(NamespaceSpecSchema, spec)),
);
