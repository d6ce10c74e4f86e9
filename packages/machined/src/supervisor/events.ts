import type { ServiceState } from "./state.ts";

/** Maximum number of events kept per service (Talos's `events.MaxEventsToKeep`). */
export const MAX_EVENTS_TO_KEEP = 64;

/** One entry of a service's history, as `machine.ServiceEvent` (`state` is the number; see `serviceStateName`). */
export interface ServiceEvent {
  readonly msg: string;
  readonly state: ServiceState;
  readonly ts: Date;
}

/** A fixed-size ring of service events; the oldest is dropped on overflow. */
export class ServiceEventRing {
  readonly #capacity: number;
  readonly #events: ServiceEvent[] = [];
  #pos = 0;
  #discarded = 0;

  constructor(capacity = MAX_EVENTS_TO_KEEP) {
    this.#capacity = capacity;
  }

  push(event: ServiceEvent): void {
    if (this.#events.length < this.#capacity) {
      this.#events.push(event);
      return;
    }
    this.#events[this.#pos] = event;
    this.#pos = (this.#pos + 1) % this.#capacity;
    this.#discarded++;
  }

  /** The last `count` events (all kept by default), oldest first, most recent last. */
  get(count = this.#capacity): ServiceEvent[] {
    const ordered =
      this.#events.length < this.#capacity
        ? this.#events.slice()
        : [...this.#events.slice(this.#pos), ...this.#events.slice(0, this.#pos)];
    return count >= ordered.length ? ordered : ordered.slice(ordered.length - Math.max(0, count));
  }

  /** How many events were pushed out of the ring. */
  get discarded(): number {
    return this.#discarded;
  }
}
