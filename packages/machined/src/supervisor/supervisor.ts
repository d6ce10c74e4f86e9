/**
 * The registry of system services (Talos's `system.Services` singleton): load, start, stop with reverse
 * dependencies, restart, unload, list, wait for a derived state, shut everything down, and the API
 * start/stop/restart checks. Observers hear every state change and health flip.
 */
import { aborted, CANCELED, delay, errorMessage, Notifier } from "./internal.ts";
import { type LogBuffer, LogRegistry } from "./log-buffer.ts";
import type { Condition, Service } from "./service.ts";
import { type ServiceHost, type ServiceInfo, ServiceRunner, type ServiceStateChange } from "./service-runner.ts";
import type { StateEvent } from "./state.ts";

export interface SupervisorOptions {
  /** Where service logs go (a new registry by default); machined shares it with its own logs. */
  logs?: LogRegistry;
  /** Receives Talos's "service[etcd](Running): ..." lines (machined writes them to its own log). */
  log?: (line: string) => void;
  /** How often a Waiting service re-checks its condition's description (1000 ms). */
  conditionCheckIntervalMs?: number;
  /** How long a stop waits for each reverse dependency to be down before stopping anyway (30000 ms). */
  reverseDependencyTimeoutMs?: number;
}

export interface StopOptions {
  /** Also stop every service depending (transitively) on it, dependents first (default true). */
  reverseDependencies?: boolean;
  /** Gives up waiting (the stops already requested still happen); the promise rejects with its reason. */
  signal?: AbortSignal;
}

export type ServiceEventListener = (change: ServiceStateChange) => void;

export const DEFAULT_REVERSE_DEPENDENCY_TIMEOUT_MS = 30_000;
export const DEFAULT_CONDITION_CHECK_INTERVAL_MS = 1000;

type ApiOperation = "start" | "stop" | "restart";

/** The error of an API operation a service does not allow; the message is Talos's. */
export class ApiNotAllowedError extends Error {
  readonly service: string;
  readonly operation: ApiOperation;

  constructor(service: string, operation: ApiOperation) {
    super(`service ${JSON.stringify(service)} doesn't support ${operation} operation via API`);
    this.name = "ApiNotAllowedError";
    this.service = service;
    this.operation = operation;
  }
}

/** A service id that is not loaded; the message is Talos's. */
export class ServiceNotDefinedError extends Error {
  readonly service: string;

  constructor(service: string) {
    super(`service ${JSON.stringify(service)} not defined`);
    this.name = "ServiceNotDefinedError";
    this.service = service;
  }
}

export class Supervisor {
  readonly logs: LogRegistry;
  readonly #runners = new Map<string, ServiceRunner>();
  readonly #changed = new Notifier();
  readonly #listeners = new Set<ServiceEventListener>();
  readonly #log: (line: string) => void;
  readonly #reverseDependencyTimeoutMs: number;
  readonly #host: ServiceHost;
  #terminating = false;

  constructor(options: SupervisorOptions = {}) {
    this.logs = options.logs ?? new LogRegistry();
    this.#log = options.log ?? (() => {});
    this.#reverseDependencyTimeoutMs = options.reverseDependencyTimeoutMs ?? DEFAULT_REVERSE_DEPENDENCY_TIMEOUT_MS;
    this.#host = {
      changed: this.#changed,
      conditionCheckIntervalMs: options.conditionCheckIntervalMs ?? DEFAULT_CONDITION_CHECK_INTERVAL_MS,
      dependency: (id) => this.condition(id, "up"),
      emit: (change) => this.#emit(change),
      log: (line) => this.#safeLog(line),
      logBuffer: (id): LogBuffer => this.logs.get(id),
    };
  }

  /** Whether `shutdown` was called (after which nothing loads, starts or stops any more). */
  get terminating(): boolean {
    return this.#terminating;
  }

  /** Registers a service (state Initialized). Returns false if that id is already loaded, or shutting down. */
  load(service: Service): boolean {
    if (this.#terminating || this.#runners.has(service.id)) return false;
    this.#runners.set(service.id, new ServiceRunner(service, this.#host));
    this.#changed.notify();
    return true;
  }

  /** Starts a loaded service in the background; a no-op if it is already running (in any state). */
  start(id: string): void {
    if (this.#terminating) return;
    this.#require(id).start();
  }

  /** Starts every loaded service that is not running. */
  startAll(): void {
    if (this.#terminating) return;
    for (const runner of this.#runners.values()) runner.start();
  }

  /**
   * Stops a service and (by default) everything depending on it: each service is stopped once its
   * dependents are down (waiting at most 30 s for each), then this waits for all of them to be stopped.
   * Stopping a service that is not running, or not loaded, is a no-op.
   */
  async stop(id: string, options: StopOptions = {}): Promise<void> {
    if (this.#terminating || !this.#runners.has(id)) return;
    await this.#stopServices([id], options.reverseDependencies ?? true, options.signal);
  }

  /** Stops the service alone, then starts it again; for a stopped service this is a start. */
  async restart(id: string, signal?: AbortSignal): Promise<void> {
    this.#require(id);
    await this.stop(id, { reverseDependencies: false, signal });
    this.start(id);
  }

  /** Stops the service alone and forgets it. Unloading an unknown service is a no-op. */
  async unload(id: string, signal?: AbortSignal): Promise<void> {
    if (this.#terminating || !this.#runners.has(id)) return;
    await this.#stopServices([id], false, signal);
    this.#runners.delete(id);
    this.#changed.notify();
  }

  /** Stops everything, each service after the services depending on it; then nothing starts any more. */
  async shutdown(signal?: AbortSignal): Promise<void> {
    if (this.#terminating) return;
    this.#terminating = true;
    await this.#stopServices(undefined, true, signal);
  }

  /** Every loaded service, sorted by id. */
  list(): ServiceInfo[] {
    return [...this.#runners.values()].map((r) => r.info()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get(id: string): ServiceInfo | undefined {
    return this.#runners.get(id)?.info();
  }

  /** Whether a run of the service is in progress (in any state: Waiting, Running, restarting...). */
  isRunning(id: string): boolean {
    return this.#runners.get(id)?.active ?? false;
  }

  /** Resolves when the service is loaded and in the derived state; rejects with the signal's reason. */
  async waitFor(id: string, event: StateEvent, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.#runners.get(id)?.is(event)) return;
      await this.#changed.wait(signal);
    }
  }

  /** The condition "service <id> to be <event>", for other services or callers (Talos's `WaitForService`). */
  condition(id: string, event: StateEvent): Condition {
    return {
      describe: () =>
        this.#runners.has(id)
          ? `service ${JSON.stringify(id)} to be ${JSON.stringify(event)}`
          : `service ${JSON.stringify(id)} to be registered`,
      wait: async (signal: AbortSignal): Promise<void> => {
        for (;;) {
          if (signal.aborted) throw new Error(CANCELED);
          if (this.#runners.get(id)?.is(event)) return;
          await this.#changed.wait(signal);
        }
      },
    };
  }

  /** Listens to every state change and health flip of every service; returns the unsubscribe function. */
  onEvent(listener: ServiceEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Start via the API: a no-op when running, else only if the service allows it. */
  async apiStart(id: string): Promise<void> {
    const runner = this.#require(id);
    if (runner.active) return;
    if (runner.service.apiStartAllowed !== true) throw new ApiNotAllowedError(id, "start");
    this.start(id);
  }

  /** Stop via the API (the service alone): a no-op when not running, else only if the service allows it. */
  async apiStop(id: string, signal?: AbortSignal): Promise<void> {
    const runner = this.#require(id);
    if (!runner.active) return;
    if (runner.service.apiStopAllowed !== true) throw new ApiNotAllowedError(id, "stop");
    await this.stop(id, { reverseDependencies: false, signal });
  }

  /** Restart via the API: a start when not running, else only if the service allows it. */
  async apiRestart(id: string, signal?: AbortSignal): Promise<void> {
    const runner = this.#require(id);
    if (!runner.active) return this.apiStart(id);
    if (runner.service.apiRestartAllowed !== true) throw new ApiNotAllowedError(id, "restart");
    await this.restart(id, signal);
  }

  #require(id: string): ServiceRunner {
    const runner = this.#runners.get(id);
    if (runner === undefined) throw new ServiceNotDefinedError(id);
    return runner;
  }

  #emit(change: ServiceStateChange): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (err) {
        this.#safeLog(`service event listener failed: ${errorMessage(err)}`);
      }
    }
  }

  #safeLog(line: string): void {
    try {
      this.#log(line);
    } catch {
      // A broken logger must not take services (or PID 1) down.
    }
  }

  async #stopServices(ids: string[] | undefined, withReverseDependencies: boolean, signal?: AbortSignal) {
    const toStop = new Map<string, ServiceRunner>();
    for (const id of ids ?? this.#runners.keys()) {
      const runner = this.#runners.get(id);
      if (runner !== undefined) toStop.set(id, runner);
    }

    const reverse = new Map<string, string[]>();
    if (withReverseDependencies) {
      // Everything that depends on a service being stopped is stopped too.
      for (let expanded = true; expanded; ) {
        expanded = false;
        for (const [name, runner] of this.#runners) {
          if (toStop.has(name)) continue;
          if ((runner.service.dependsOn ?? []).some((dep) => toStop.has(dep))) {
            toStop.set(name, runner);
            expanded = true;
          }
        }
      }
      for (const [name, runner] of toStop) {
        for (const dep of runner.service.dependsOn ?? []) {
          if (toStop.has(dep)) reverse.set(dep, [...(reverse.get(dep) ?? []), name]);
        }
      }
    }

    const giveUp = new AbortController();
    const deadline = delay(this.#reverseDependencyTimeoutMs, giveUp.signal);
    try {
      await Promise.all(
        [...toStop].map(async ([name, runner]) => {
          const dependents = reverse.get(name) ?? [];
          if (dependents.length > 0) {
            const down = Promise.all(dependents.map((d) => toStop.get(d)!.done)).then(() => true);
            if (!(await Promise.race([down, deadline.then(() => false)]))) {
              const pending = dependents.filter((d) => toStop.get(d)!.active);
              const what = pending.map((d) => `service ${JSON.stringify(d)} to be "down"`).join(", ");
              this.#safeLog(`gave up on ${what} while stopping ${JSON.stringify(name)}`);
            }
          }
          runner.shutdown();
        }),
      );
    } finally {
      giveUp.abort();
    }

    const all = Promise.all([...toStop.values()].map((r) => r.done));
    if (signal === undefined) {
      await all;
      return;
    }
    const abort = aborted(signal);
    try {
      await Promise.race([all, abort.promise]);
    } finally {
      abort.cleanup();
    }
    signal.throwIfAborted();
  }
}
