import { create, toBinary } from "@bufbuild/protobuf";
import { ResourceDefinitionSpec_Sensitivity, ResourceDefinitionSpecSchema } from "../../api/gen/v1alpha1/meta_pb.ts";
import type { ResourceDefinitionSpec } from "../definition.ts";
import { defineKind } from "../kind.ts";

/** `ResourceDefinitions.meta.cosi.dev` (`talosctl get rd`): ID = the lower-cased type. */
export const resourceDefinitionKind = defineKind<ResourceDefinitionSpec>(
  { type: "ResourceDefinitions.meta.cosi.dev", defaultNamespace: "meta" },
  (spec) =>
    toBinary(
      ResourceDefinitionSpecSchema,
      create(ResourceDefinitionSpecSchema, {
        resourceType: spec.type,
        displayType: spec.displayType,
        defaultNamespace: spec.defaultNamespace,
        aliases: [...spec.aliases],
        allAliases: [...spec.allAliases],
        printColumns: spec.printColumns.map((c) => ({ name: c.name, jsonPath: c.jsonPath })),
        sensitivity:
          spec.sensitivity === "sensitive"
            ? ResourceDefinitionSpec_Sensitivity.SENSITIVE
            : ResourceDefinitionSpec_Sensitivity.NON_SENSITIVE,
      }),
    ),
);
