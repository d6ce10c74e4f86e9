import { compileIdQuery, type IdQuery, type LabelQueries, matchesLabelQuery } from "../../resource/label-query.ts";
import { formatPointer, type Kind, type Pointer } from "../../resource/pointer.ts";
import { copyResource, type Resource } from "../../resource/resource.ts";
import { newTombstone } from "../../resource/tombstone.ts";
import {
  alreadyExists,
  NotFoundError,
  OwnerConflictError,
  PhaseConflictError,
  pendingFinalizers,
  versionConflict,
} from "../errors.ts";
import type {
  CoreState,
  CreateOptions,
  DestroyOptions,
  ListOptions,
  State,
  UpdateOptions,
  WatchEvent,
  WatchKindOptions,
} from "../state.ts";
import { wrapCore } from "../wrap-core.ts";
import { Collection, type StoredEvent } from "./collection.ts";
import { streamEvents } from "./event-stream.ts";

/** Options for `createInMemoryState`. */
export interface InMemoryStateOptions {
  /** Events each collection keeps for slow watchers (default 1024, as Talos). */
  readonly historyCapacity?: number;
  /** Clock for created/updated timestamps (default `new Date()`). */
  readonly now?: () => Date;
}

/** Default per-collection history length. */
export const DEFAULT_HISTORY_CAPACITY = 1024;

/**
 * The in-memory `State` (COSI `namespaced(inmem)`): one collection per namespace and type, created on
 * first use, each with its own bounded event history.
 *
 * @example
 * const state = createInMemoryState();
 * await state.create(newResource(newPointer(MEMBERS, "n1"), { hostname: "n1" }));
 */
export function createInMemoryState(options: InMemoryStateOptions = {}): State {
  return wrapCore(createInMemoryCore(options));
}

function createInMemoryCore(options: InMemoryStateOptions): CoreState {
  const capacity = options.historyCapacity ?? DEFAULT_HISTORY_CAPACITY;
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`historyCapacity must be ≥ 1, got ${capacity}`);
  const now = options.now ?? (() => new Date());
  const namespaces = new Map<string, Map<string, Collection>>();

  const collection = (kind: Kind): Collection => {
    if (kind.namespace === "" || kind.type === "") {
      throw new TypeError(`resource kind needs a namespace and a type, got ${JSON.stringify(kind)}`);
    }
    let types = namespaces.get(kind.namespace);
    if (types === undefined) {
      types = new Map();
      namespaces.set(kind.namespace, types);
    }
    let coll = types.get(kind.type);
    if (coll === undefined) {
      coll = new Collection(kind.namespace, kind.type, capacity);
      types.set(kind.type, coll);
    }
    return coll;
  };

  const existing = (ptr: Pointer): [Collection, Resource] => {
    const coll = collection(ptr);
    const current = coll.items.get(ptr.id);
    if (current === undefined) throw new NotFoundError(ptr);
    return [coll, current];
  };

  return {
    async get<Spec>(ptr: Pointer<Spec>, signal?: AbortSignal): Promise<Resource<Spec>> {
      signal?.throwIfAborted();
      const [, current] = existing(ptr);
      return copyResource(current) as Resource<Spec>;
    },

    async list<Spec>(kind: Kind<Spec>, opts: ListOptions = {}, signal?: AbortSignal): Promise<Resource<Spec>[]> {
      signal?.throwIfAborted();
      const matches = matcher(opts.labelQuery, opts.idQuery);
      return sortedItems(collection(kind))
        .filter(matches)
        .map((r) => copyResource(r) as Resource<Spec>);
    },

    async create<Spec>(res: Resource<Spec>, opts: CreateOptions = {}, signal?: AbortSignal): Promise<Resource<Spec>> {
      signal?.throwIfAborted();
      const coll = collection(res.metadata);
      if (res.metadata.id === "") throw new TypeError(`resource ${formatPointer(res.metadata)} needs an ID`);
      if (coll.items.has(res.metadata.id)) throw alreadyExists(res.metadata);
      const stored = copyResource(res) as Resource;
      const at = now();
      stored.metadata.version = 1;
      stored.metadata.owner = opts.owner ?? "";
      stored.metadata.created = at;
      stored.metadata.updated = at;
      stored.metadata.finalizers = [...new Set(stored.metadata.finalizers)];
      coll.items.set(stored.metadata.id, stored);
      coll.publish({ type: "created", resource: stored });
      return copyResource(stored) as Resource<Spec>;
    },

    async update<Spec>(res: Resource<Spec>, opts: UpdateOptions = {}, signal?: AbortSignal): Promise<Resource<Spec>> {
      signal?.throwIfAborted();
      const [coll, current] = existing(res.metadata);
      const md = current.metadata;
      const owner = opts.owner ?? "";
      if (md.owner !== owner) throw new OwnerConflictError(md, md.owner, owner);
      if (md.version !== res.metadata.version) throw versionConflict(md, res.metadata.version, md.version);
      const expectedPhase = opts.expectedPhase ?? "running";
      if (expectedPhase !== "any" && md.phase !== expectedPhase) {
        throw new PhaseConflictError(md, md.phase, expectedPhase);
      }
      const stored = copyResource(res) as Resource;
      stored.metadata.version = md.version + 1;
      stored.metadata.owner = md.owner;
      stored.metadata.created = md.created;
      stored.metadata.updated = now();
      stored.metadata.finalizers = [...new Set(stored.metadata.finalizers)];
      coll.items.set(md.id, stored);
      coll.publish({ type: "updated", resource: stored, old: current });
      return copyResource(stored) as Resource<Spec>;
    },

    async destroy(ptr: Pointer, opts: DestroyOptions = {}, signal?: AbortSignal): Promise<void> {
      signal?.throwIfAborted();
      const [coll, current] = existing(ptr);
      const md = current.metadata;
      const owner = opts.owner ?? "";
      if (md.owner !== owner) throw new OwnerConflictError(md, md.owner, owner);
      if (md.finalizers.length > 0) throw pendingFinalizers(md, md.finalizers);
      coll.items.delete(md.id);
      coll.publish({ type: "destroyed", resource: current });
    },

    watch<Spec>(ptr: Pointer<Spec>, signal: AbortSignal): AsyncIterable<WatchEvent<Spec>> {
      const coll = collection(ptr);
      const current = coll.items.get(ptr.id);
      const first: WatchEvent<Spec> =
        current === undefined
          ? { type: "destroyed", resource: newTombstone(ptr) }
          : { type: "created", resource: copyResource(current) as Resource<Spec> };
      return streamEvents<Spec>(
        coll,
        [first],
        (event) => (event.resource.metadata.id === ptr.id ? toWatchEvent<Spec>(event) : undefined),
        signal,
      );
    },

    watchKind<Spec>(kind: Kind<Spec>, opts: WatchKindOptions, signal: AbortSignal): AsyncIterable<WatchEvent<Spec>> {
      const coll = collection(kind);
      const matches = matcher(opts.labelQuery, opts.idQuery);
      const initial: WatchEvent<Spec>[] = [];
      if (opts.bootstrapContents === true) {
        for (const r of sortedItems(coll).filter(matches)) {
          initial.push({ type: "created", resource: copyResource(r) as Resource<Spec> });
        }
        initial.push({ type: "bootstrapped" });
      }
      return streamEvents<Spec>(coll, initial, (event) => filterKindEvent<Spec>(event, matches), signal);
    },
  };
}

function sortedItems(coll: Collection): Resource[] {
  return [...coll.items.values()].sort((a, b) => (a.metadata.id < b.metadata.id ? -1 : 1));
}

function matcher(labelQuery: LabelQueries | undefined, idQuery: IdQuery | undefined): (r: Resource) => boolean {
  const idRegexp = idQuery === undefined ? undefined : compileIdQuery(idQuery);
  return (r) =>
    (idRegexp === undefined || idRegexp.test(r.metadata.id)) && matchesLabelQuery(r.metadata.labels, labelQuery);
}

function toWatchEvent<Spec>(event: StoredEvent): WatchEvent<Spec> {
  const resource = copyResource(event.resource) as Resource<Spec>;
  if (event.type === "updated") return { type: "updated", resource, old: copyResource(event.old) as Resource<Spec> };
  return { type: event.type, resource };
}

/** A kind watch with a filter sees an update that crosses the filter as a create or a destroy (COSI). */
function filterKindEvent<Spec>(event: StoredEvent, matches: (r: Resource) => boolean): WatchEvent<Spec> | undefined {
  if (event.type !== "updated") {
    return matches(event.resource) ? toWatchEvent<Spec>(event) : undefined;
  }
  const was = matches(event.old);
  const is = matches(event.resource);
  if (was && is) return toWatchEvent<Spec>(event);
  const resource = copyResource(event.resource) as Resource<Spec>;
  if (was) return { type: "destroyed", resource };
  if (is) return { type: "created", resource };
  return undefined;
}
