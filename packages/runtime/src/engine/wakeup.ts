/**
 * A one-slot wake-up channel (COSI's buffered-1 `EventCh`): `trigger` sets the slot, a waiter empties it.
 * Any number of triggers before the next wait collapse into one wake-up.
 */
export interface Wakeup {
  /** Marks a wake-up pending (idempotent) and wakes the waiter. */
  trigger(): void;
  /** Resolves `true` once a wake-up is pending (consuming it), `false` if `signal` aborts first. */
  wait(signal: AbortSignal): Promise<boolean>;
  /** Wake-ups as a stream, ending when `signal` aborts. */
  events(signal: AbortSignal): AsyncIterable<void>;
}

/** A fresh, empty wake-up slot. */
export function createWakeup(): Wakeup {
  let pending = false;
  const waiters = new Set<() => void>();

  const waitForTrigger = (signal: AbortSignal): Promise<boolean> =>
    new Promise((resolve) => {
      const onAbort = (): void => {
        waiters.delete(wake);
        resolve(false);
      };
      const wake = (): void => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      };
      waiters.add(wake);
      signal.addEventListener("abort", onAbort, { once: true });
    });

  const wait = async (signal: AbortSignal): Promise<boolean> => {
    while (!pending) {
      if (signal.aborted || !(await waitForTrigger(signal))) return false;
    }
    if (signal.aborted) return false;
    pending = false;
    return true;
  };

  return {
    trigger() {
      pending = true;
      const woken = [...waiters];
      waiters.clear();
      for (const wake of woken) wake();
    },
    wait,
    async *events(signal: AbortSignal) {
      while (await wait(signal)) yield;
    },
  };
}
