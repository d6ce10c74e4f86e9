/**
 * The life of one loaded service (Talos's `system.ServiceRunner`): its state, event history and health, and
 * the run sequence Starting → Waiting → Preparing → Running → Finished | Failed | Skipped.
 */
import { waitForAll } from "./condition.ts";
import { type ServiceEvent, ServiceEventRing } from "./events.ts";
import { HealthState, runHealthChecks, type ServiceHealth } from "./health.ts";
import { CANCELED, capitalize, errorMessage, type Notifier } from "./internal.ts";
import type { LogBuffer } from "./log-buffer.ts";
import type { Condition, Runner, Service } from "./service.ts";
import { inState, ServiceState, type StateEvent, serviceStateName } from "./state.ts";

/** One state change or health flip of a service, for observers (published by machined as ServiceStateEvent). */
export interface ServiceStateChange {
  readonly service: string;
  readonly state: ServiceState;
  readonly stateName: string;
  readonly message: string;
  readonly health: ServiceHealth;
  readonly ts: Date;
}

/** A snapshot of a service, as `machine.ServiceInfo` (plus the number of automatic restarts). */
export interface ServiceInfo {
  readonly id: string;
  readonly state: ServiceState;
  readonly stateName: string;
  readonly health: ServiceHealth;
  /** Oldest first, at most 64. */
  readonly events: ServiceEvent[];
  /** How often the runner went back to Running within a start (restart policy at work), since load. */
  readonly restarts: number;
}

/** What a ServiceRunner needs from its supervisor. */
export interface ServiceHost {
  /** Fires on every state change and health flip of any service, and on load/unload. */
  readonly changed: Notifier;
  /** A condition: service `id` is "up" (Talos's `WaitForService(StateEventUp, id)`). */
  dependency(id: string): Condition;
  emit(change: ServiceStateChange): void;
  log(line: string): void;
  logBuffer(id: string): LogBuffer;
  /** How often a Waiting description is re-checked (1 s). */
  readonly conditionCheckIntervalMs: number;
}

class SkipError extends Error {}

export class ServiceRunner {
  readonly service: Service;
  readonly #host: ServiceHost;
  #state: ServiceState = ServiceState.Initialized;
  readonly #events = new ServiceEventRing();
  readonly #health = new HealthState();
  #restarts = 0;
  #runningEntries = 0;
  /** Set while a run is active: its stop switch and completion. */
  #active: { readonly controller: AbortController; done: Promise<void> } | undefined;

  constructor(service: Service, host: ServiceHost) {
    this.service = service;
    this.#host = host;
    this.#health.onChange((status) => this.#healthFlip(status));
  }

  get id(): string {
    return this.service.id;
  }

  get state(): ServiceState {
    return this.#state;
  }

  /** Whether a run is in progress (in any state), as Talos's `running` set. */
  get active(): boolean {
    return this.#active !== undefined;
  }

  /** Resolves when the current run (if any) is over. */
  get done(): Promise<void> {
    return this.#active?.done ?? Promise.resolve();
  }

  is(event: StateEvent): boolean {
    return inState(event, this.#state, { checked: this.service.health !== undefined, healthy: this.#health.healthy });
  }

  info(): ServiceInfo {
    return {
      id: this.id,
      state: this.#state,
      stateName: serviceStateName(this.#state),
      health: this.#health.get(),
      events: this.#events.get(),
      restarts: this.#restarts,
    };
  }

  /** Starts a run unless one is active; returns false when it was already active. */
  start(): boolean {
    if (this.#active !== undefined) return false;
    // Marked active before the first (synchronous) event, so that an observer cannot start it twice.
    const active = { controller: new AbortController(), done: Promise.resolve() };
    this.#active = active;
    active.done = this.#runToEnd(active.controller.signal).finally(() => {
      if (this.#active === active) this.#active = undefined;
      this.#host.changed.notify();
    });
    return true;
  }

  /** Requests the active run (if any) to stop; `done` tells when it is over. */
  shutdown(): void {
    this.#active?.controller.abort();
  }

  #update(state: ServiceState, message: string): void {
    const ts = new Date();
    this.#state = state;
    this.#events.push({ msg: message, state, ts });
    this.#host.log(`service[${this.id}](${serviceStateName(state)}): ${message}`);
    this.#publish(state, message, ts);
  }

  #healthFlip(status: ServiceHealth): void {
    // Health flips are history only while Running; otherwise they still change "up".
    if (this.#state === ServiceState.Running) {
      const message = status.healthy ? "Health check successful" : `Health check failed: ${status.lastMessage}`;
      const ts = new Date();
      this.#events.push({ msg: message, state: this.#state, ts });
      this.#host.log(`service[${this.id}](${serviceStateName(this.#state)}): ${message}`);
      this.#publish(this.#state, message, ts);
    } else {
      this.#host.changed.notify();
    }
  }

  #publish(state: ServiceState, message: string, ts: Date): void {
    this.#host.emit({
      service: this.id,
      state,
      stateName: serviceStateName(state),
      message,
      health: this.#health.get(),
      ts,
    });
    this.#host.changed.notify();
  }

  /** One run, ending in Finished, Skipped or Failed. Never rejects. */
  async #runToEnd(signal: AbortSignal): Promise<void> {
    try {
      await this.#run(signal);
      this.#update(ServiceState.Finished, "Service finished successfully");
    } catch (err) {
      if (err instanceof SkipError) this.#update(ServiceState.Skipped, "Service skipped");
      else this.#update(ServiceState.Failed, capitalize(errorMessage(err)));
    }
  }

  async #run(signal: AbortSignal): Promise<void> {
    this.#runningEntries = 0;
    this.#update(ServiceState.Starting, "Starting service");

    const deps = (this.service.dependsOn ?? []).map((id) => this.#host.dependency(id));
    const conditions = [...deps, ...(this.service.condition ? [this.service.condition] : [])];
    if (conditions.length > 0) {
      try {
        await this.#waitFor(waitForAll(...conditions), signal);
      } catch (err) {
        throw new Error(`condition failed: ${signal.aborted ? CANCELED : errorMessage(err)}`);
      }
    }

    this.#update(ServiceState.Preparing, "Running pre state");
    try {
      await this.service.pre?.(signal);
    } catch (err) {
      throw new Error(`failed to run pre stage: ${errorMessage(err)}`);
    }

    this.#update(ServiceState.Preparing, "Creating service runner");
    let runner: Runner | undefined;
    try {
      runner = this.service.runner({ id: this.id, log: this.#host.logBuffer(this.id) });
    } catch (err) {
      throw new Error(`failed to create runner: ${errorMessage(err)}`);
    }

    try {
      if (runner === undefined) throw new SkipError("service skipped");
      try {
        await this.#runRunner(runner, signal);
      } catch (err) {
        throw new Error(`failed running service: ${errorMessage(err)}`);
      }
    } finally {
      try {
        await this.service.post?.(this.#state);
      } catch (err) {
        this.#update(ServiceState.Failed, `Failed to run post stage: ${errorMessage(err)}`);
      }
    }
  }

  /** Waits for `condition`, recording "Waiting for ..." again whenever its description changes. */
  async #waitFor(condition: Condition, signal: AbortSignal): Promise<void> {
    let settled = false;
    const result = condition.wait(signal).finally(() => {
      settled = true;
    });
    const outcome = result.then(
      () => {},
      () => {},
    );
    let description = condition.describe();
    this.#update(ServiceState.Waiting, `Waiting for ${description}`);
    while (!settled && !signal.aborted) {
      const iteration = new AbortController();
      const wake = AbortSignal.any([signal, iteration.signal]);
      await Promise.race([
        outcome,
        this.#host.changed.wait(wake).then(() => new Promise<void>((resolve) => setImmediate(resolve))),
        delayUntil(this.#host.conditionCheckIntervalMs, wake),
      ]);
      iteration.abort();
      if (settled) break;
      const next = condition.describe();
      if (next !== description && next !== "") {
        description = next;
        this.#update(ServiceState.Waiting, `Waiting for ${description}`);
      }
    }
    // A condition that ignores the abort must not hold the stop up.
    if (!settled) throw new Error(CANCELED);
    await result;
  }

  async #runRunner(runner: Runner, signal: AbortSignal): Promise<void> {
    const healthStop = new AbortController();
    const healthSignal = AbortSignal.any([signal, healthStop.signal]);
    const healthLoop = this.service.health
      ? runHealthChecks(this.service.health, this.#health, healthSignal)
      : Promise.resolve();
    const sink = (state: ServiceState, message: string): void => {
      if (state === ServiceState.Running && this.#state !== ServiceState.Running) {
        this.#runningEntries++;
        if (this.#runningEntries > 1) this.#restarts++;
      }
      this.#update(state, message);
      if (state !== ServiceState.Running && this.service.health) this.#health.update(false, "service not running");
    };
    try {
      await runner.run(sink, signal);
    } catch (err) {
      // After a stop request the outcome is a clean finish, as in Talos.
      if (!signal.aborted) throw new Error(`error running service: ${errorMessage(err)}`);
    } finally {
      healthStop.abort();
      await healthLoop;
    }
  }
}

function delayUntil(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
