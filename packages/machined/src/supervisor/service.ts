/**
 * What a service is (Talos's `system.Service` and its optional interfaces) and what runs it (`runner.Runner`).
 */
import type { LogBuffer } from "./log-buffer.ts";
import type { ServiceState } from "./state.ts";

/**
 * Something a service waits for before it prepares (Talos's `conditions.Condition`). `describe()` is shown in
 * the service's Waiting events ("Waiting for file \"/x\" to exist") and may change as parts are satisfied.
 * A condition is reused across starts of its service, so `wait` must work more than once.
 */
export interface Condition {
  /** Resolves when the condition holds; rejects when `signal` aborts (or the condition can never hold). */
  wait(signal: AbortSignal): Promise<void>;
  describe(): string;
}

/** Health checking of a running service (Talos's `HealthFunc` + `HealthSettings`). */
export interface HealthCheck {
  /** Resolves when healthy; the rejection's message is the health message. Should honour `signal`. */
  check(signal: AbortSignal): Promise<void>;
  /** Delay before the first check (1000 ms). */
  initialDelayMs?: number;
  /** Interval between checks (5000 ms). */
  periodMs?: number;
  /** Time limit of one check (500 ms); an overrun fails with "context deadline exceeded". */
  timeoutMs?: number;
}

export const DEFAULT_HEALTH_INITIAL_DELAY_MS = 1000;
export const DEFAULT_HEALTH_PERIOD_MS = 5000;
export const DEFAULT_HEALTH_TIMEOUT_MS = 500;

/** Records a state change with its message (Talos's `events.Recorder`). */
export type EventSink = (state: ServiceState, message: string) => void;

/**
 * Runs the workload of a service. `run` emits `Running` (e.g. "Process Process([...]) started with PID 12")
 * through `sink` once the workload is up, and settles when it ends: it resolves on success and also when it
 * returned because `signal` aborted (a requested stop), and rejects with the failure otherwise. `run` may be
 * called again after it settled (restart policies do). It must not throw synchronously.
 */
export interface Runner {
  run(sink: EventSink, signal: AbortSignal): Promise<void>;
  /** Shown in events: `Process(["/usr/bin/etcd" "--name" "n1"])`, `Goroutine("machined")`. */
  toString(): string;
}

/** What the supervisor hands a service when it creates its runner. */
export interface RunnerContext {
  /** The service id. */
  readonly id: string;
  /** The service's log buffer (the supervisor's `LogRegistry` entry for `id`). */
  readonly log: LogBuffer;
}

/** A system service. */
export interface Service {
  readonly id: string;
  /** Services that must be "up" before this one prepares. */
  readonly dependsOn?: readonly string[];
  /** Waited for together with `dependsOn`. */
  readonly condition?: Condition;
  /** Runs before the runner is created ("Running pre state"); a rejection fails the service. */
  pre?(signal: AbortSignal): Promise<void> | void;
  /** Creates the runner ("Creating service runner"); undefined makes the service end as Skipped. */
  runner(ctx: RunnerContext): Runner | undefined;
  /** Runs after the runner returned, whatever the outcome (also when Skipped), with the last state. */
  post?(state: ServiceState): Promise<void> | void;
  readonly health?: HealthCheck;
  readonly apiStartAllowed?: boolean;
  readonly apiStopAllowed?: boolean;
  readonly apiRestartAllowed?: boolean;
}
