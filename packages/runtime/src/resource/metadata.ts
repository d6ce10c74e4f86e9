import type { Pointer } from "./pointer.ts";

/** Lifecycle phase: `tearingDown` once someone asked for destruction and finalizers are being released. */
export type Phase = "running" | "tearingDown";

/** The version of a resource that was never stored (fresh objects, tombstones); rendered `"undefined"`. */
export const VERSION_UNDEFINED = 0;

/**
 * COSI resource metadata. `version` is 1 on create and +1 per real update; it is a number internally and a
 * decimal string on the wire (`formatVersion`). `owner` is the creating controller ("" for direct writes).
 */
export interface Metadata {
  namespace: string;
  type: string;
  id: string;
  version: number;
  owner: string;
  phase: Phase;
  created: Date;
  updated: Date;
  /** Ordered set: each finalizer at most once. */
  finalizers: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Optional metadata fields accepted by `newMetadata`/`newResource`. */
export interface MetadataInit {
  readonly owner?: string;
  readonly phase?: Phase;
  readonly finalizers?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Fresh (unstored) metadata for `ptr`: version undefined, phase `running`. */
export function newMetadata(ptr: Pointer, init: MetadataInit = {}): Metadata {
  const now = new Date();
  return {
    namespace: ptr.namespace,
    type: ptr.type,
    id: ptr.id,
    version: VERSION_UNDEFINED,
    owner: init.owner ?? "",
    phase: init.phase ?? "running",
    created: now,
    updated: now,
    finalizers: [...new Set(init.finalizers ?? [])],
    labels: { ...init.labels },
    annotations: { ...init.annotations },
  };
}

/** Wire form of a version: `"1"`, `"2"`, … or `"undefined"` for a never-stored resource. */
export function formatVersion(version: number): string {
  return version === VERSION_UNDEFINED ? "undefined" : String(version);
}

/** Inverse of `formatVersion`; throws `TypeError` on anything else. */
export function parseVersion(text: string): number {
  if (text === "undefined") return VERSION_UNDEFINED;
  if (!/^[1-9][0-9]*$/.test(text)) throw new TypeError(`invalid resource version ${JSON.stringify(text)}`);
  const version = Number(text);
  if (!Number.isSafeInteger(version)) throw new TypeError(`resource version ${text} out of range`);
  return version;
}
