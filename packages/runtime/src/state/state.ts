import type { IdQuery, LabelQueries } from "../resource/label-query.ts";
import type { Phase } from "../resource/metadata.ts";
import type { Kind, Pointer } from "../resource/pointer.ts";
import type { Resource } from "../resource/resource.ts";
import type { Tombstone } from "../resource/tombstone.ts";

/**
 * The State API (COSI `state.State`). Conventions: one-shot calls take an optional trailing `AbortSignal`;
 * streams require one and simply end when it aborts. Every resource returned is the caller's own copy.
 */

/** Filters for `list`. */
export interface ListOptions {
  readonly labelQuery?: LabelQueries;
  readonly idQuery?: IdQuery;
}

/** Options for `create`: the owner stamped on the new resource ("" = no owner, a direct API write). */
export interface CreateOptions {
  readonly owner?: string;
}

/**
 * Options for `update`/`modify`: `owner` must equal the stored owner; `expectedPhase` defaults to
 * `running` (COSI), `"any"` skips the phase check.
 */
export interface UpdateOptions {
  readonly owner?: string;
  readonly expectedPhase?: Phase | "any";
}

/** Options for `destroy`/`teardown`: `owner` must equal the stored owner. */
export interface DestroyOptions {
  readonly owner?: string;
}

/** Options for `watchKind`. `bootstrapContents` first replays every existing item, then `bootstrapped`. */
export interface WatchKindOptions {
  readonly bootstrapContents?: boolean;
  readonly labelQuery?: LabelQueries;
  readonly idQuery?: IdQuery;
}

/**
 * One watch event. `destroyed` carries the last state of the resource, or a tombstone when an ID watch
 * starts on an absent resource. `bootstrapped` ends a kind watch's replay of existing items. `errored`
 * ends the stream: the consumer fell further behind than the history keeps (no silent loss).
 */
export type WatchEvent<Spec = unknown> =
  | { readonly type: "created"; readonly resource: Resource<Spec> }
  | { readonly type: "updated"; readonly resource: Resource<Spec>; readonly old: Resource<Spec> }
  | { readonly type: "destroyed"; readonly resource: Resource<Spec> | Tombstone }
  | { readonly type: "bootstrapped" }
  | { readonly type: "errored"; readonly error: Error };

/** `created` | `updated` | `destroyed` | `bootstrapped` | `errored`. */
export type EventType = WatchEvent["type"];

/** Mutates a copy of the resource in place; may be called again if a concurrent write wins the race. */
export type Updater<Spec> = (res: Resource<Spec>) => void | Promise<void>;

/** Condition for `watchFor`; `undefined` means "the resource does not exist". */
export type WatchForCondition<Spec> = (res: Resource<Spec> | undefined) => boolean;

/** The primitive operations every State implementation provides; `wrapCore` derives the rest. */
export interface CoreState {
  /** The resource, or `NotFoundError`. */
  get<Spec>(ptr: Pointer<Spec>, signal?: AbortSignal): Promise<Resource<Spec>>;
  /** The matching resources of a kind, sorted by ID. */
  list<Spec>(kind: Kind<Spec>, options?: ListOptions, signal?: AbortSignal): Promise<Resource<Spec>[]>;
  /** Stores a new resource (version 1); `ConflictError` (`exists`) if the ID is taken. */
  create<Spec>(res: Resource<Spec>, options?: CreateOptions, signal?: AbortSignal): Promise<Resource<Spec>>;
  /**
   * Replaces a resource. `res.metadata.version` must be the stored version (else `ConflictError`
   * `version`), `options.owner` the stored owner (else `OwnerConflictError`) and the stored phase the
   * expected one (else `PhaseConflictError`). Returns the stored result (version + 1).
   */
  update<Spec>(res: Resource<Spec>, options?: UpdateOptions, signal?: AbortSignal): Promise<Resource<Spec>>;
  /** Removes a resource; refused for another owner and while finalizers remain. */
  destroy(ptr: Pointer, options?: DestroyOptions, signal?: AbortSignal): Promise<void>;
  /** Created (current) or destroyed (tombstone) first, then one event per change of that resource. */
  watch<Spec>(ptr: Pointer<Spec>, signal: AbortSignal): AsyncIterable<WatchEvent<Spec>>;
  /** Changes of a kind; with `bootstrapContents`, created per existing item then `bootstrapped` first. */
  watchKind<Spec>(kind: Kind<Spec>, options: WatchKindOptions, signal: AbortSignal): AsyncIterable<WatchEvent<Spec>>;
}

/** The full State API. */
export interface State extends CoreState {
  /**
   * Read-mutate-write with retries on version conflicts. Skips the write (no version bump, no event) when
   * `fn` changed nothing; returns the stored result. `NotFoundError` if absent.
   */
  modify<Spec>(
    ptr: Pointer<Spec>,
    fn: Updater<Spec>,
    options?: UpdateOptions,
    signal?: AbortSignal,
  ): Promise<Resource<Spec>>;
  /** Moves a resource to `tearingDown` (idempotent); resolves `true` once no finalizers remain. */
  teardown(ptr: Pointer, options?: DestroyOptions, signal?: AbortSignal): Promise<boolean>;
  /** Adds finalizers (any owner, any phase); no write if all are present. */
  addFinalizer(ptr: Pointer, finalizers: readonly string[], signal?: AbortSignal): Promise<void>;
  /** Removes finalizers (any owner, any phase); no write if none is present. */
  removeFinalizer(ptr: Pointer, finalizers: readonly string[], signal?: AbortSignal): Promise<void>;
  /** Waits until `condition` holds for the resource (or its absence) and returns it; rejects on abort. */
  watchFor<Spec>(
    ptr: Pointer<Spec>,
    condition: WatchForCondition<Spec>,
    signal: AbortSignal,
  ): Promise<Resource<Spec> | undefined>;
}
