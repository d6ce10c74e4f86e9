import type { Controller, Input, Output } from "../controller/controller.ts";
import { type Logger, withFields } from "../controller/logger.ts";
import { sleep } from "../internal/abort.ts";
import { toError } from "../internal/to-error.ts";
import type { Metadata } from "../resource/metadata.ts";
import type { State } from "../state/state.ts";
import { type Backoff, type BackoffOptions, createBackoff } from "./backoff.ts";
import { createRuntimeHandle, type HandleHost } from "./runtime-handle.ts";
import { createWakeup, type Wakeup } from "./wakeup.ts";

/** What an adapter needs from its engine. */
export interface AdapterEnv {
  readonly state: State;
  readonly log: Logger;
  readonly backoff: Partial<BackoffOptions>;
  /** Makes sure the engine watches the kinds of `inputs`. */
  watchInputs(inputs: readonly Input[]): void;
}

/**
 * Runs one controller (COSI `adapter`): owns its wake-up slot, current inputs, restart backoff and
 * output tracking, and restarts `run` with backoff whenever it throws.
 */
export class ControllerAdapter implements HandleHost {
  readonly controller: Controller;
  readonly name: string;
  readonly outputs: readonly Output[];
  readonly state: State;
  readonly wakeup: Wakeup = createWakeup();
  tracked: Set<string> | undefined;
  #inputs: readonly Input[];
  #env: AdapterEnv;
  #backoff: Backoff;
  #log: Logger;
  #restarts = 0;
  #running = false;

  constructor(controller: Controller, env: AdapterEnv) {
    this.controller = controller;
    this.name = controller.name;
    this.outputs = [...controller.outputs];
    this.state = env.state;
    this.#inputs = [...controller.inputs];
    this.#env = env;
    this.#backoff = createBackoff(env.backoff);
    this.#log = withFields(env.log, { controller: controller.name });
  }

  /** Current inputs (declared, or as last set by `updateInputs`). */
  get inputs(): readonly Input[] {
    return this.#inputs;
  }

  /** How many times `run` failed and was restarted (or is about to be). */
  get restarts(): number {
    return this.#restarts;
  }

  /** Whether `run` is executing right now (not finished, not in backoff). */
  get running(): boolean {
    return this.#running;
  }

  setInputs(inputs: readonly Input[]): void {
    this.#inputs = [...inputs];
    this.#env.watchInputs(this.#inputs);
  }

  resetBackoff(): void {
    this.#backoff.reset();
  }

  /** Whether a change of the resource described by `md` should wake this controller. */
  wants(md: Metadata): boolean {
    return this.#inputs.some(
      (i) =>
        i.namespace === md.namespace &&
        i.type === md.type &&
        (i.id === undefined || i.id === md.id) &&
        (i.kind !== "destroyReady" || (md.phase === "tearingDown" && md.finalizers.length === 0)),
    );
  }

  /** Runs the controller until `signal` aborts or `run` returns; restarts it after failures. */
  async run(signal: AbortSignal): Promise<void> {
    this.wakeup.trigger();
    while (!signal.aborted) {
      const failure = await this.#runOnce(signal);
      if (signal.aborted) break;
      if (failure === undefined) {
        this.#log.debug("controller finished");
        return;
      }
      this.#restarts++;
      const delayMs = this.#backoff.next();
      this.#log.error("controller failed", { error: failure });
      this.#log.debug("restarting controller", { delayMs });
      if (!(await sleep(delayMs, signal))) break;
      this.wakeup.trigger();
    }
  }

  /** One invocation of `run`; resolves the failure, if any. Leftovers of the run are aborted after it. */
  async #runOnce(signal: AbortSignal): Promise<Error | undefined> {
    const done = new AbortController();
    const runSignal = AbortSignal.any([signal, done.signal]);
    this.#log.debug("controller starting");
    this.#running = true;
    try {
      await this.controller.run(createRuntimeHandle(this, runSignal), runSignal, this.#log);
      return undefined;
    } catch (e: unknown) {
      return signal.aborted ? undefined : toError(e);
    } finally {
      this.#running = false;
      this.tracked = undefined;
      done.abort();
    }
  }
}
