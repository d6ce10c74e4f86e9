import type { Pointer } from "../resource/pointer.ts";
import { copyResource, type Resource, resourceEqual } from "../resource/resource.ts";
import { isVersionConflict, PhaseConflictError } from "./errors.ts";
import type { CoreState, DestroyOptions, State, UpdateOptions, Updater, WatchForCondition } from "./state.ts";

/**
 * Completes a `CoreState` into a `State` (COSI `WrapCore`): `modify`, `teardown`, finalizers and
 * `watchFor` are built from get/update/watch, so every implementation shares their semantics.
 */
export function wrapCore(core: CoreState): State {
  const modify = async <Spec>(
    ptr: Pointer<Spec>,
    fn: Updater<Spec>,
    options: UpdateOptions = {},
    signal?: AbortSignal,
  ): Promise<Resource<Spec>> => {
    const expectedPhase = options.expectedPhase ?? "running";
    for (;;) {
      const current = await core.get(ptr, signal);
      const md = current.metadata;
      // The phase is checked even when the change turns out to be a no-op (COSI).
      if (expectedPhase !== "any" && md.phase !== expectedPhase) {
        throw new PhaseConflictError(md, md.phase, expectedPhase);
      }
      const next = copyResource(current);
      await fn(next);
      if (next.metadata.namespace !== md.namespace || next.metadata.type !== md.type || next.metadata.id !== md.id) {
        throw new TypeError(`modify of ${md.namespace}/${md.type}/${md.id} must not change its identity`);
      }
      // Version and owner are the store's business, not the updater's.
      next.metadata.version = md.version;
      next.metadata.owner = md.owner;
      if (resourceEqual(current, next)) return current;
      try {
        return await core.update(next, options, signal);
      } catch (e: unknown) {
        if (!isVersionConflict(e)) throw e;
      }
    }
  };

  return {
    get: (ptr, signal) => core.get(ptr, signal),
    list: (kind, options, signal) => core.list(kind, options, signal),
    create: (res, options, signal) => core.create(res, options, signal),
    update: (res, options, signal) => core.update(res, options, signal),
    destroy: (ptr, options, signal) => core.destroy(ptr, options, signal),
    watch: (ptr, signal) => core.watch(ptr, signal),
    watchKind: (kind, options, signal) => core.watchKind(kind, options, signal),
    modify,

    async teardown(ptr: Pointer, options: DestroyOptions = {}, signal?: AbortSignal): Promise<boolean> {
      let res = await core.get(ptr, signal);
      if (res.metadata.phase !== "tearingDown") {
        res = await modify(
          ptr,
          (r) => {
            r.metadata.phase = "tearingDown";
          },
          { owner: options.owner ?? "" },
          signal,
        );
      }
      return res.metadata.finalizers.length === 0;
    },

    async addFinalizer(ptr: Pointer, finalizers: readonly string[], signal?: AbortSignal): Promise<void> {
      const current = await core.get(ptr, signal);
      await modify(
        ptr,
        (r) => {
          for (const f of finalizers) if (!r.metadata.finalizers.includes(f)) r.metadata.finalizers.push(f);
        },
        { owner: current.metadata.owner, expectedPhase: "any" },
        signal,
      );
    },

    async removeFinalizer(ptr: Pointer, finalizers: readonly string[], signal?: AbortSignal): Promise<void> {
      const current = await core.get(ptr, signal);
      await modify(
        ptr,
        (r) => {
          r.metadata.finalizers = r.metadata.finalizers.filter((f) => !finalizers.includes(f));
        },
        { owner: current.metadata.owner, expectedPhase: "any" },
        signal,
      );
    },

    async watchFor<Spec>(
      ptr: Pointer<Spec>,
      condition: WatchForCondition<Spec>,
      signal: AbortSignal,
    ): Promise<Resource<Spec> | undefined> {
      for await (const event of core.watch(ptr, signal)) {
        if (event.type === "errored") throw event.error;
        if (event.type === "bootstrapped") continue;
        const res = event.type === "destroyed" ? undefined : event.resource;
        if (condition(res)) return res;
      }
      signal.throwIfAborted();
      throw new Error(`watch on ${ptr.namespace}/${ptr.type}/${ptr.id} ended unexpectedly`);
    },
  };
}
