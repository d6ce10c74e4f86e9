import { newMetadata } from "./metadata.ts";
import type { Pointer } from "./pointer.ts";
import type { Resource } from "./resource.ts";

/**
 * Metadata-only stand-in for a resource that does not exist (version `"undefined"`): the first event of a
 * watch on an absent resource carries one.
 */
export interface Tombstone {
  metadata: Resource["metadata"];
  spec: undefined;
  tombstone: true;
}

/** A tombstone for `ptr`. */
export function newTombstone(ptr: Pointer): Tombstone {
  return { metadata: newMetadata(ptr), spec: undefined, tombstone: true };
}

/** Narrows a watch event's resource to the tombstone case. */
export function isTombstone<Spec>(res: Resource<Spec> | Tombstone): res is Tombstone {
  return "tombstone" in res && res.tombstone === true;
}
