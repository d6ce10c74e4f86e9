import type { Kind, Pointer } from "../resource/pointer.ts";
import type { Resource } from "../resource/resource.ts";
import type { ListOptions, Updater, WatchForCondition } from "../state/state.ts";
import type { Logger } from "./logger.ts";

/**
 * The controller contract (COSI `controller.Controller`): a name, declared inputs and outputs, and a
 * `run` loop driven by wake-ups from the engine.
 */

/**
 * How a controller depends on an input: `weak` wakes it on changes; `strong` also lets it put finalizers
 * on those resources; `destroyReady` wakes it only when a resource is tearing down with no finalizers
 * left (used on one's own outputs).
 */
export type InputKind = "weak" | "strong" | "destroyReady";

/** A resource kind (optionally one ID) the controller reads and is woken by. */
export interface Input {
  readonly namespace: string;
  readonly type: string;
  readonly id?: string;
  readonly kind: InputKind;
}

/** `exclusive`: the only writer of the type; `shared`: one of several, each owning what it created. */
export type OutputKind = "exclusive" | "shared";

/** A resource type the controller writes (in any namespace). */
export interface Output {
  readonly type: string;
  readonly kind: OutputKind;
}

/** Options for acting on an output owned by someone else (rare; the owner must match). */
export interface WriteOptions {
  readonly owner?: string;
}

/** Reads, limited to declared inputs and outputs. The signal defaults to the run's. */
export interface Reader {
  get<Spec>(ptr: Pointer<Spec>, signal?: AbortSignal): Promise<Resource<Spec>>;
  list<Spec>(kind: Kind<Spec>, options?: ListOptions, signal?: AbortSignal): Promise<Resource<Spec>[]>;
  watchFor<Spec>(
    ptr: Pointer<Spec>,
    condition: WatchForCondition<Spec>,
    signal?: AbortSignal,
  ): Promise<Resource<Spec> | undefined>;
}

/**
 * Writes, limited to declared output types (finalizers: to `strong` inputs). Resources are owned by the
 * controller's name. The signal defaults to the run's.
 */
export interface Writer {
  create<Spec>(res: Resource<Spec>, signal?: AbortSignal): Promise<Resource<Spec>>;
  update<Spec>(res: Resource<Spec>, signal?: AbortSignal): Promise<Resource<Spec>>;
  /**
   * Create-or-update: applies `fn` to the stored resource (or to `template` if absent, then creates it).
   * A change-free `fn` writes nothing. Returns the stored result.
   */
  modify<Spec>(template: Resource<Spec>, fn: Updater<Spec>, signal?: AbortSignal): Promise<Resource<Spec>>;
  destroy(ptr: Pointer, options?: WriteOptions, signal?: AbortSignal): Promise<void>;
  /** Resolves `true` once the output has no finalizers left and may be destroyed. */
  teardown(ptr: Pointer, options?: WriteOptions, signal?: AbortSignal): Promise<boolean>;
  addFinalizer(ptr: Pointer, finalizers: readonly string[], signal?: AbortSignal): Promise<void>;
  /** Removes finalizers; a resource that is already gone is fine. */
  removeFinalizer(ptr: Pointer, finalizers: readonly string[], signal?: AbortSignal): Promise<void>;
}

/** The handle a controller's `run` gets (COSI `controller.Runtime`). */
export interface ControllerRuntime extends Reader, Writer {
  /**
   * Wake-ups: one is queued when the controller (re)starts, then one per batch of input changes
   * (a burst collapses into a single pending wake-up). Ends when the run's signal aborts.
   *
   * @example
   * for await (const _ of rt.events()) {
   *   const cfg = await rt.get(configPtr);
   *   await rt.modify(newThing("id"), (r) => { r.spec.value = cfg.spec.value; });
   *   rt.resetRestartBackoff();
   * }
   */
  events(): AsyncIterable<void>;
  /** Queues a wake-up (e.g. to poll again). */
  queueReconcile(): void;
  /** Resets the restart backoff after a successful reconcile. */
  resetRestartBackoff(): void;
  /** Replaces the inputs (what wakes the controller and what it may read). */
  updateInputs(inputs: readonly Input[]): void;
  /** Starts recording which outputs this reconcile writes. */
  startTrackingOutputs(): void;
  /**
   * Destroys this controller's outputs of `kinds` not written since `startTrackingOutputs` (tearing down
   * those with finalizers; they are destroyed on a later cleanup), stops tracking, resets the backoff.
   */
  cleanupOutputs(kinds: readonly Kind[], signal?: AbortSignal): Promise<void>;
}

/**
 * A controller. `run` loops over `rt.events()` until `signal` aborts; throwing (or rejecting) makes the
 * engine log `controller failed` and restart it with backoff; returning ends it for good.
 */
export interface Controller {
  readonly name: string;
  readonly inputs: readonly Input[];
  readonly outputs: readonly Output[];
  run(rt: ControllerRuntime, signal: AbortSignal, log: Logger): Promise<void>;
}

/** A controller touched something it did not declare. */
export class ControllerAccessError extends Error {
  override readonly name = "ControllerAccessError";
  readonly controller: string;

  constructor(controller: string, message: string) {
    super(`controller ${JSON.stringify(controller)}: ${message}`);
    this.controller = controller;
  }
}

/** `e` is a `ControllerAccessError`. */
export function isControllerAccessError(e: unknown): e is ControllerAccessError {
  return e instanceof ControllerAccessError;
}
