import { fromBinary } from "@bufbuild/protobuf";
import { type cosi, cosiMeta } from "@talos/machinery/api";
import type { ResourceDefinitionSpec } from "@talos/machinery/resources";

/** A `ResourceDefinitions.meta.cosi.dev` resource's spec, decoded from its protobuf form. */
export function decodeResourceDefinition(res: cosi.Resource): ResourceDefinitionSpec {
  const s = fromBinary(cosiMeta.ResourceDefinitionSpecSchema, res.spec?.protoSpec ?? new Uint8Array(0));
  return {
    type: s.resourceType,
    displayType: s.displayType,
    defaultNamespace: s.defaultNamespace,
    aliases: s.aliases,
    allAliases: s.allAliases,
    printColumns: s.printColumns.map((c) => ({ name: c.name, jsonPath: c.jsonPath })),
    ...(s.sensitivity === cosiMeta.ResourceDefinitionSpec_Sensitivity.SENSITIVE
      ? { sensitivity: "sensitive" as const }
      : {}),
  };
}
