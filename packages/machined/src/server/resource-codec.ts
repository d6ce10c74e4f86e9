import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { cosi } from "@talos/machinery/api";
import type { ResourceKind } from "@talos/machinery/resources";
import { formatVersion, isTombstone, type Resource, type Tombstone } from "@talos/runtime";

/** A resource in COSI's wire form: metadata plus both the protobuf and the YAML rendering of its spec. */
export function encodeResource(res: Resource | Tombstone, kind: ResourceKind<unknown> | undefined): cosi.Resource {
  const m = res.metadata;
  const metadata = create(cosi.MetadataSchema, {
    namespace: m.namespace,
    type: m.type,
    id: m.id,
    version: formatVersion(m.version),
    owner: m.owner,
    phase: m.phase === "tearingDown" ? "tearingDown" : "running",
    created: timestampFromDate(m.created),
    updated: timestampFromDate(m.updated),
    finalizers: [...m.finalizers],
    labels: { ...m.labels },
    annotations: { ...m.annotations },
  });
  // Clients require a spec message on every resource, even an empty one (tombstones).
  if (isTombstone(res) || kind === undefined) {
    return create(cosi.ResourceSchema, { metadata, spec: create(cosi.SpecSchema, {}) });
  }
  const spec = (res as Resource).spec;
  return create(cosi.ResourceSchema, {
    metadata,
    spec: create(cosi.SpecSchema, { protoSpec: kind.encodeProto(spec), yamlSpec: kind.encodeYaml(spec) }),
  });
}
