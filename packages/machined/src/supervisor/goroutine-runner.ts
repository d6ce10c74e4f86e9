/**
 * Runs an in-process async function as a service (Talos's `runner/goroutine`; machined, apid and trustd run
 * this way here). The function must return once `signal` aborts; whatever it throws after that is ignored.
 */
import { errorMessage } from "./internal.ts";
import type { LogSink } from "./log-buffer.ts";
import type { EventSink, Runner } from "./service.ts";
import { ServiceState } from "./state.ts";

/** The body of a goroutine service: runs until `signal` aborts; `log` is the service's log. */
export type GoroutineMain = (signal: AbortSignal, log: LogSink) => Promise<void>;

export interface GoroutineRunnerOptions {
  id: string;
  main: GoroutineMain;
  /** Usually `RunnerContext.log`. */
  log: LogSink;
}

export class GoroutineRunner implements Runner {
  readonly #opts: GoroutineRunnerOptions;

  constructor(options: GoroutineRunnerOptions) {
    this.#opts = options;
  }

  toString(): string {
    return `Goroutine(${JSON.stringify(this.#opts.id)})`;
  }

  async run(sink: EventSink, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    sink(ServiceState.Running, "Service started as goroutine");
    try {
      await this.#opts.main(signal, this.#opts.log);
    } catch (err) {
      // A stopped service's error (typically an AbortError) is not a failure.
      if (signal.aborted) return;
      throw err instanceof Error ? err : new Error(errorMessage(err));
    }
  }
}
