import type { Resource } from "../../resource/resource.ts";

/** A change as recorded in a collection's history (stored objects: copy before handing out). */
export type StoredEvent =
  | { readonly type: "created" | "destroyed"; readonly resource: Resource }
  | { readonly type: "updated"; readonly resource: Resource; readonly old: Resource };

/**
 * One namespace+type of the in-memory state: the current items and a bounded ring of recent events.
 * Watchers keep a position in the ring; one that falls more than `capacity` events behind is overrun.
 */
export class Collection {
  readonly namespace: string;
  readonly type: string;
  readonly capacity: number;
  readonly items = new Map<string, Resource>();
  #ring: StoredEvent[] = [];
  #writePos = 0;
  #waiters = new Set<() => void>();

  constructor(namespace: string, type: string, capacity: number) {
    this.namespace = namespace;
    this.type = type;
    this.capacity = capacity;
  }

  /** Position the next event will get; a watcher at this position is up to date. */
  get writePos(): number {
    return this.#writePos;
  }

  /** Records an event and wakes every waiting watcher. */
  publish(event: StoredEvent): void {
    this.#ring[this.#writePos % this.capacity] = event;
    this.#writePos++;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Whether the event at `pos` has already been overwritten. */
  overrun(pos: number): boolean {
    return this.#writePos - pos > this.capacity;
  }

  /** The event at `pos` (`pos < writePos` and not overrun). */
  eventAt(pos: number): StoredEvent {
    return this.#ring[pos % this.capacity] as StoredEvent;
  }

  /** Resolves `true` on the next publish, `false` if `signal` aborts first. */
  waitForWrite(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.#waiters.delete(wake);
        resolve(false);
      };
      const wake = (): void => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      };
      this.#waiters.add(wake);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
