import type { ControllerRuntime, Input } from "../controller/controller.ts";
import { formatPointer, type Kind, type Pointer } from "../resource/pointer.ts";
import { copyResource, type Resource } from "../resource/resource.ts";
import { isConflict, isNotFound } from "../state/errors.ts";
import type { State, Updater } from "../state/state.ts";
import { checkFinalizer, checkRead, checkWrite, type Declared } from "./access.ts";
import type { Wakeup } from "./wakeup.ts";

/** The adapter state a runtime handle works on. */
export interface HandleHost extends Declared {
  readonly state: State;
  readonly wakeup: Wakeup;
  resetBackoff(): void;
  setInputs(inputs: readonly Input[]): void;
  /** Written outputs of the current reconcile (`undefined` = not tracking). */
  tracked: Set<string> | undefined;
}

/**
 * The `ControllerRuntime` for one run of a controller: State access filtered by the declared inputs and
 * outputs, owner stamping, output tracking and wake-ups. Every call defaults to the run's signal.
 */
export function createRuntimeHandle(host: HandleHost, runSignal: AbortSignal): ControllerRuntime {
  const { state } = host;
  const owner = host.name;
  const track = (ptr: Pointer): void => {
    host.tracked?.add(formatPointer(ptr));
  };

  const modify = async <Spec>(
    template: Resource<Spec>,
    fn: Updater<Spec>,
    signal: AbortSignal,
  ): Promise<Resource<Spec>> => {
    const ptr = template.metadata;
    for (;;) {
      try {
        return await state.modify(ptr, fn, { owner }, signal);
      } catch (e: unknown) {
        if (!isNotFound(e)) throw e;
      }
      const fresh = copyResource(template);
      await fn(fresh);
      try {
        return await state.create(fresh, { owner }, signal);
      } catch (e: unknown) {
        // Someone created it in between: go round and update instead.
        if (!(isConflict(e) && e.reason === "exists")) throw e;
      }
    }
  };

  return {
    async get(ptr, signal = runSignal) {
      checkRead(host, ptr, ptr.id);
      return state.get(ptr, signal);
    },
    async list(kind, options, signal = runSignal) {
      checkRead(host, kind, undefined);
      return state.list(kind, options, signal);
    },
    async watchFor(ptr, condition, signal = runSignal) {
      checkRead(host, ptr, ptr.id);
      return state.watchFor(ptr, condition, signal);
    },

    async create(res, signal = runSignal) {
      checkWrite(host, "create", res.metadata, res.metadata.id);
      track(res.metadata);
      return state.create(res, { owner }, signal);
    },
    async update(res, signal = runSignal) {
      checkWrite(host, "update", res.metadata, res.metadata.id);
      track(res.metadata);
      return state.update(res, { owner }, signal);
    },
    async modify(template, fn, signal = runSignal) {
      checkWrite(host, "modify", template.metadata, template.metadata.id);
      track(template.metadata);
      return modify(template, fn, signal);
    },
    async destroy(ptr, options = {}, signal = runSignal) {
      checkWrite(host, "destroy", ptr, ptr.id);
      await state.destroy(ptr, { owner: options.owner ?? owner }, signal);
    },
    async teardown(ptr, options = {}, signal = runSignal) {
      checkWrite(host, "teardown", ptr, ptr.id);
      return state.teardown(ptr, { owner: options.owner ?? owner }, signal);
    },
    async addFinalizer(ptr, finalizers, signal = runSignal) {
      checkFinalizer(host, ptr, ptr.id);
      await state.addFinalizer(ptr, finalizers, signal);
    },
    async removeFinalizer(ptr, finalizers, signal = runSignal) {
      checkFinalizer(host, ptr, ptr.id);
      try {
        await state.removeFinalizer(ptr, finalizers, signal);
      } catch (e: unknown) {
        if (!isNotFound(e)) throw e;
      }
    },

    events: () => host.wakeup.events(runSignal),
    queueReconcile: () => host.wakeup.trigger(),
    resetRestartBackoff: () => host.resetBackoff(),
    updateInputs: (inputs) => host.setInputs(inputs),

    startTrackingOutputs() {
      if (host.tracked !== undefined) throw new Error(`controller ${JSON.stringify(owner)}: already tracking outputs`);
      host.tracked = new Set();
    },
    async cleanupOutputs(kinds: readonly Kind[], signal = runSignal) {
      const touched = host.tracked;
      if (touched === undefined) throw new Error(`controller ${JSON.stringify(owner)}: output tracking not started`);
      for (const kind of kinds) {
        checkRead(host, kind, undefined);
        for (const res of await state.list(kind, {}, signal)) {
          if (res.metadata.owner !== owner || touched.has(formatPointer(res.metadata))) continue;
          await destroyOrTeardown(state, res.metadata, owner, signal);
        }
      }
      host.tracked = undefined;
      host.resetBackoff();
    },
  };
}

/** Destroys an output, or tears it down while other controllers still hold finalizers on it. */
async function destroyOrTeardown(state: State, ptr: Pointer, owner: string, signal: AbortSignal): Promise<void> {
  try {
    await state.destroy(ptr, { owner }, signal);
  } catch (e: unknown) {
    if (isNotFound(e)) return;
    if (!(isConflict(e) && e.reason === "finalizers")) throw e;
    await state.teardown(ptr, { owner }, signal);
  }
}
