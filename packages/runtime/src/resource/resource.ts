import { deepEqual } from "./equal.ts";
import { type Metadata, type MetadataInit, newMetadata } from "./metadata.ts";
import type { Pointer } from "./pointer.ts";

/**
 * A resource: metadata plus a plain, serialisable (structured-cloneable) spec. States never hand out
 * their own objects: every read returns a copy the caller may mutate.
 */
export interface Resource<Spec = unknown> {
  metadata: Metadata;
  spec: Spec;
}

/**
 * A fresh resource for `ptr` with `spec` (version undefined until stored).
 *
 * @example
 * const member = newResource(newPointer(MEMBERS, "n1"), { hostname: "n1" }, { labels: { role: "cp" } });
 */
export function newResource<Spec>(ptr: Pointer<Spec>, spec: Spec, init?: MetadataInit): Resource<Spec> {
  return { metadata: newMetadata(ptr, init), spec };
}

/** A deep copy (spec included). */
export function copyResource<Spec>(res: Resource<Spec>): Resource<Spec> {
  return structuredClone(res);
}

/**
 * Whether two resources are the same for change detection: identity, version, owner, phase, finalizers,
 * labels, annotations and spec. Timestamps are ignored. `modify` uses this to skip no-op writes.
 */
export function resourceEqual(a: Resource, b: Resource): boolean {
  const x = a.metadata;
  const y = b.metadata;
  return (
    x.namespace === y.namespace &&
    x.type === y.type &&
    x.id === y.id &&
    x.version === y.version &&
    x.owner === y.owner &&
    x.phase === y.phase &&
    deepEqual(x.finalizers, y.finalizers) &&
    deepEqual(x.labels, y.labels) &&
    deepEqual(x.annotations, y.annotations) &&
    deepEqual(a.spec, b.spec)
  );
}
