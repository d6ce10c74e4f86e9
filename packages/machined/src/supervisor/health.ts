/**
 * Health state of a service and the loop that checks it (Talos's `system/health`).
 */
import { delay, errorMessage } from "./internal.ts";
import {
  DEFAULT_HEALTH_INITIAL_DELAY_MS,
  DEFAULT_HEALTH_PERIOD_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  type HealthCheck,
} from "./service.ts";

/** As `machine.ServiceHealth`; `lastChange` is null until the first health run. */
export interface ServiceHealth {
  readonly unknown: boolean;
  readonly healthy: boolean;
  readonly lastMessage: string;
  readonly lastChange: Date | null;
}

/** Health verdict of one service; listeners hear only flips (and the first verdict). */
export class HealthState {
  #healthy: boolean | undefined;
  #lastMessage = "";
  #lastChange: Date | null = null;
  readonly #listeners = new Set<(status: ServiceHealth) => void>();

  /** The verdict, undefined while unknown. */
  get healthy(): boolean | undefined {
    return this.#healthy;
  }

  /** Back to unknown at the start of a health run. */
  init(): void {
    this.#healthy = undefined;
    this.#lastMessage = "Unknown";
    this.#lastChange = new Date();
  }

  update(healthy: boolean, message: string): void {
    const flipped = this.#healthy !== healthy;
    if (flipped) {
      this.#healthy = healthy;
      this.#lastChange = new Date();
    }
    this.#lastMessage = message;
    if (!flipped) return;
    const status = this.get();
    for (const listener of [...this.#listeners]) listener(status);
  }

  get(): ServiceHealth {
    return {
      unknown: this.#healthy === undefined,
      healthy: this.#healthy === true,
      lastMessage: this.#lastMessage,
      lastChange: this.#lastChange,
    };
  }

  /** Listens for flips; returns the unsubscribe function. */
  onChange(listener: (status: ServiceHealth) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** One check bounded by `timeoutMs`: resolves to undefined when healthy, else to the failure message. */
async function checkOnce(check: HealthCheck, timeoutMs: number, signal: AbortSignal): Promise<string | undefined> {
  const ctl = new AbortController();
  const forward = (): void => ctl.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      ctl.abort(new Error("context deadline exceeded"));
      resolve("context deadline exceeded");
    }, timeoutMs);
  });
  const attempt = (async (): Promise<string | undefined> => {
    try {
      await check.check(ctl.signal);
      return undefined;
    } catch (err) {
      return errorMessage(err);
    }
  })();
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", forward);
  }
}

/**
 * Runs health checks into `state` until `signal` aborts: waits `initialDelayMs`, then checks every `periodMs`
 * with a `timeoutMs` limit. Never rejects.
 */
export async function runHealthChecks(check: HealthCheck, state: HealthState, signal: AbortSignal): Promise<void> {
  const initialDelay = check.initialDelayMs ?? DEFAULT_HEALTH_INITIAL_DELAY_MS;
  const period = check.periodMs ?? DEFAULT_HEALTH_PERIOD_MS;
  const timeout = check.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  state.init();
  if (!(await delay(initialDelay, signal))) return;
  let next = Date.now();
  for (;;) {
    const failure = await checkOnce(check, timeout, signal);
    if (signal.aborted) return;
    state.update(failure === undefined, failure ?? "");
    // Like a Go ticker: keep the cadence, skip ticks missed by a slow check.
    next += period;
    const now = Date.now();
    if (next < now) next = now + period - ((now - next) % period);
    if (!(await delay(next - now, signal))) return;
  }
}
