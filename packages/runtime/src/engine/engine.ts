import type { Controller, Input } from "../controller/controller.ts";
import { type Logger, noopLogger } from "../controller/logger.ts";
import { aborted, sleep } from "../internal/abort.ts";
import { toError } from "../internal/to-error.ts";
import { formatKind, type Kind } from "../resource/pointer.ts";
import type { State } from "../state/state.ts";
import { ControllerAdapter } from "./adapter.ts";
import { type BackoffOptions, createBackoff } from "./backoff.ts";
import { type DependencyEdge, dependencyEdges } from "./dependency-graph.ts";

/** Options for `createEngine`. */
export interface EngineOptions {
  readonly state: State;
  /** Receives `controller failed` and friends, each with `controller: <name>` (default: discard). */
  readonly logger?: Logger;
  /** Restart backoff (default 0.5 s ×1.5 ±50 %, max 60 s); tests inject tiny values. */
  readonly backoff?: Partial<BackoffOptions>;
}

/** A controller's runtime status, for inspection. */
export interface ControllerStatus {
  readonly name: string;
  /** Failed runs so far (each followed by a restart). */
  readonly restarts: number;
  /** Whether `run` is executing right now. */
  readonly running: boolean;
}

/** Runs controllers over a `State` (COSI controller runtime). */
export interface Engine {
  /**
   * Adds a controller. Throws on a duplicate name, a malformed declaration, or an output type that
   * another controller writes when either declaration is `exclusive`. Allowed while running.
   */
  register(controller: Controller): void;
  /** Runs every controller until `signal` aborts; resolves once all have stopped. */
  run(signal: AbortSignal): Promise<void>;
  /** Which controller reads or writes which type (inputs as currently set). */
  dependencyGraph(): DependencyEdge[];
  /** Per-controller status, in registration order. */
  status(): ControllerStatus[];
}

/**
 * Creates an engine: it wakes controllers when their inputs change (one kind watch per input kind,
 * shared), enforces declared outputs, and restarts failing controllers with backoff, forever.
 *
 * @example
 * const engine = createEngine({ state, logger });
 * for (const c of controllers) engine.register(c);
 * await engine.run(signal);
 */
export function createEngine(options: EngineOptions): Engine {
  return new ControllerEngine(options);
}

class ControllerEngine implements Engine {
  readonly #state: State;
  readonly #log: Logger;
  readonly #backoff: Partial<BackoffOptions>;
  readonly #adapters = new Map<string, ControllerAdapter>();
  readonly #watched = new Set<string>();
  readonly #tasks = new Set<Promise<void>>();
  #signal: AbortSignal | undefined;

  constructor(options: EngineOptions) {
    this.#state = options.state;
    this.#log = options.logger ?? noopLogger;
    this.#backoff = options.backoff ?? {};
  }

  register(controller: Controller): void {
    this.#validate(controller);
    const adapter = new ControllerAdapter(controller, {
      state: this.#state,
      log: this.#log,
      backoff: this.#backoff,
      watchInputs: (inputs) => this.#watchInputs(inputs),
    });
    this.#adapters.set(controller.name, adapter);
    if (this.#signal !== undefined) {
      this.#watchInputs(adapter.inputs);
      this.#spawn(adapter.run(this.#signal));
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.#signal !== undefined) throw new Error("engine is already running");
    const own = AbortSignal.any([signal]);
    this.#signal = own;
    // Watches first: their start positions are taken before any controller reads.
    for (const adapter of this.#adapters.values()) this.#watchInputs(adapter.inputs);
    for (const adapter of this.#adapters.values()) this.#spawn(adapter.run(own));
    await aborted(own);
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }

  dependencyGraph(): DependencyEdge[] {
    return dependencyEdges([...this.#adapters.values()]);
  }

  status(): ControllerStatus[] {
    return [...this.#adapters.values()].map((a) => ({ name: a.name, restarts: a.restarts, running: a.running }));
  }

  #validate(controller: Controller): void {
    const name = controller.name;
    if (name === "") throw new Error("controller name must not be empty");
    if (this.#adapters.has(name)) throw new Error(`controller ${JSON.stringify(name)} is already registered`);
    for (const input of controller.inputs) {
      if (input.namespace === "" || input.type === "") {
        throw new Error(`controller ${JSON.stringify(name)}: input needs a namespace and a type`);
      }
    }
    const own = new Set<string>();
    for (const output of controller.outputs) {
      if (own.has(output.type)) {
        throw new Error(`controller ${JSON.stringify(name)}: output ${JSON.stringify(output.type)} declared twice`);
      }
      own.add(output.type);
      for (const other of this.#adapters.values()) {
        const theirs = other.outputs.find((o) => o.type === output.type);
        if (theirs === undefined) continue;
        if (theirs.kind === "exclusive" || output.kind === "exclusive") {
          throw new Error(
            `controller ${JSON.stringify(name)}: output ${JSON.stringify(output.type)} is already written by ` +
              `${JSON.stringify(other.name)} (${theirs.kind}); a second writer needs both to be shared`,
          );
        }
      }
    }
  }

  #spawn(task: Promise<void>): void {
    const tracked = task.catch((e: unknown) => this.#log.error("engine task failed", { error: toError(e) }));
    this.#tasks.add(tracked);
    void tracked.finally(() => this.#tasks.delete(tracked));
  }

  #watchInputs(inputs: readonly Input[]): void {
    const signal = this.#signal;
    if (signal === undefined) return;
    for (const input of inputs) {
      const kind: Kind = { namespace: input.namespace, type: input.type };
      const key = formatKind(kind);
      if (this.#watched.has(key)) continue;
      this.#watched.add(key);
      this.#spawn(this.#watchKind(kind, signal));
    }
  }

  /** Wakes the dependents of every change of `kind`; re-watches (waking all dependents) on trouble. */
  async #watchKind(kind: Kind, signal: AbortSignal): Promise<void> {
    const backoff = createBackoff(this.#backoff);
    while (!signal.aborted) {
      try {
        for await (const event of this.#state.watchKind(kind, {}, signal)) {
          if (event.type === "bootstrapped") continue;
          if (event.type === "errored") throw event.error;
          for (const adapter of this.#adapters.values()) {
            if (adapter.wants(event.resource.metadata)) adapter.wakeup.trigger();
          }
          backoff.reset();
        }
        if (!signal.aborted) throw new Error("watch ended unexpectedly");
      } catch (e: unknown) {
        if (signal.aborted) return;
        this.#log.warn("watch failed, restarting it", { kind: formatKind(kind), error: toError(e) });
        if (!(await sleep(backoff.next(), signal))) return;
        // Changes may have been missed: every dependent re-reads.
        for (const adapter of this.#adapters.values()) {
          if (adapter.inputs.some((i) => i.namespace === kind.namespace && i.type === kind.type))
            adapter.wakeup.trigger();
        }
      }
    }
  }
}
