/**
 * Wraps a runner with a restart policy (Talos's `runner/restart`): after an exit it records Waiting with the
 * reason, sleeps `restartDelayMs` (5 s, no backoff, as Talos) and runs the wrapped runner again.
 */
import { delay, errorMessage } from "./internal.ts";
import type { EventSink, Runner } from "./service.ts";
import { ServiceState } from "./state.ts";

export const RestartPolicy = {
  /** Always run again, after success or failure (every core service). */
  Forever: "Forever",
  /** Run exactly once; the outcome is the service's. */
  Once: "Once",
  /** Run again after failures until a run succeeds. */
  UntilSuccess: "UntilSuccess",
} as const;

export type RestartPolicy = (typeof RestartPolicy)[keyof typeof RestartPolicy];

/** Talos's `RestartInterval`. */
export const DEFAULT_RESTART_DELAY_MS = 5000;

export interface RestartOptions {
  policy?: RestartPolicy;
  /** Pause before each restart (5000 ms). */
  restartDelayMs?: number;
}

export class RestartRunner implements Runner {
  readonly #wrapped: Runner;
  readonly #policy: RestartPolicy;
  readonly #delayMs: number;
  #restarts = 0;

  constructor(wrapped: Runner, options: RestartOptions = {}) {
    this.#wrapped = wrapped;
    this.#policy = options.policy ?? RestartPolicy.Forever;
    this.#delayMs = options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
  }

  /** Restarts performed so far, over every `run`. */
  get restarts(): number {
    return this.#restarts;
  }

  toString(): string {
    return `Restart(${this.#policy}, ${this.#wrapped})`;
  }

  async run(sink: EventSink, signal: AbortSignal): Promise<void> {
    for (;;) {
      let failure: unknown;
      let failed = false;
      try {
        await this.#wrapped.run(sink, signal);
      } catch (err) {
        failed = true;
        failure = err;
      }
      if (signal.aborted) return;

      switch (this.#policy) {
        case RestartPolicy.Once:
          if (failed) throw failure;
          return;
        case RestartPolicy.UntilSuccess:
          if (!failed) return;
          sink(
            ServiceState.Waiting,
            `Error running ${this.#wrapped}, going to restart until it succeeds: ${errorMessage(failure)}`,
          );
          break;
        case RestartPolicy.Forever:
          sink(
            ServiceState.Waiting,
            failed
              ? `Error running ${this.#wrapped}, going to restart forever: ${errorMessage(failure)}`
              : `Runner ${this.#wrapped} exited without error, going to restart it`,
          );
          break;
      }

      if (!(await delay(this.#delayMs, signal))) {
        sink(ServiceState.Stopping, "Aborting restart sequence");
        return;
      }
      this.#restarts++;
    }
  }
}
