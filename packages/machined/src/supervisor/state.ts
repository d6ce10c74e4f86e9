/**
 * Service run states. The numbers are Talos's `events.ServiceState`, which equal the wire's
 * `machine.ServiceStateEvent.Action`; the names are what `ServiceInfo.state` / `ServiceEvent.state` carry.
 */
export const ServiceState = {
  Initialized: 0,
  Preparing: 1,
  Waiting: 2,
  Running: 3,
  Stopping: 4,
  Finished: 5,
  Failed: 6,
  Skipped: 7,
  Starting: 8,
} as const;

export type ServiceState = (typeof ServiceState)[keyof typeof ServiceState];

const NAMES: readonly string[] = [
  "Initialized",
  "Preparing",
  "Waiting",
  "Running",
  "Stopping",
  "Finished",
  "Failed",
  "Skipped",
  "Starting",
];

/** The display string of a state ("Running"); "Unknown" for a number outside the enum, as Talos. */
export function serviceStateName(state: ServiceState): string {
  return NAMES[state] ?? "Unknown";
}

/** A derived condition of a service, as Talos's `system.StateEvent`. */
export type StateEvent = "up" | "down" | "finished";

/**
 * Whether a service is in a derived condition. `health` is undefined for a service without a health check,
 * otherwise its current verdict (undefined while unknown).
 * - up: Skipped, Finished, or Running and (no health check or healthy)
 * - down: Failed, Finished or Skipped
 * - finished: Finished
 */
export function inState(
  event: StateEvent,
  state: ServiceState,
  health: { checked: boolean; healthy: boolean | undefined },
): boolean {
  switch (event) {
    case "up":
      if (state === ServiceState.Skipped || state === ServiceState.Finished) return true;
      return state === ServiceState.Running && (!health.checked || health.healthy === true);
    case "down":
      return state === ServiceState.Failed || state === ServiceState.Finished || state === ServiceState.Skipped;
    case "finished":
      return state === ServiceState.Finished;
  }
}
