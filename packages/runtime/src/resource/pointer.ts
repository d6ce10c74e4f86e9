/**
 * Addresses of resources: a `Kind` names a collection (namespace + type), a `Pointer` one resource in it.
 *
 * Both carry the resource's spec type as a phantom parameter, so a typed kind declared once
 * (`const MEMBERS: Kind<MemberSpec> = newKind("cluster", "Members.cluster.talos.dev")`) makes every read
 * through it typed (`state.get(newPointer(MEMBERS, "n1"))` is a `Resource<MemberSpec>`) without casts.
 */

declare const specType: unique symbol;

/** A collection of resources: one type in one namespace. */
export interface Kind<Spec = unknown> {
  readonly namespace: string;
  readonly type: string;
  /** Phantom: never set at runtime, only carries `Spec` for inference. */
  readonly [specType]?: Spec;
}

/** One resource: its kind plus its ID. Any `Metadata` is a `Pointer`. */
export interface Pointer<Spec = unknown> extends Kind<Spec> {
  readonly id: string;
}

/** Declares a (typed) kind. */
export function newKind<Spec = unknown>(namespace: string, type: string): Kind<Spec> {
  return { namespace, type };
}

/** Points at resource `id` of `kind`, keeping the kind's spec type. */
export function newPointer<Spec = unknown>(kind: Kind<Spec>, id: string): Pointer<Spec> {
  return { namespace: kind.namespace, type: kind.type, id };
}

/** `namespace/type/id`, for messages and map keys. */
export function formatPointer(ptr: Pointer): string {
  return `${ptr.namespace}/${ptr.type}/${ptr.id}`;
}

/** `namespace/type`, for messages and map keys. */
export function formatKind(kind: Kind): string {
  return `${kind.namespace}/${kind.type}`;
}
