/**
 * Ready-made conditions (Talos's `pkg/conditions`): all-of, files to exist, and a polled predicate.
 */
import { stat } from "node:fs/promises";
import { CANCELED, delay } from "./internal.ts";
import type { Condition } from "./service.ts";

/**
 * Waits for every condition; the description lists the ones still pending, joined by ", " (as Talos's
 * `WaitForAll`). Fails with the first failure, after cancelling the others.
 */
export function waitForAll(...conditions: (Condition | undefined)[]): Condition {
  const all = conditions.filter((c): c is Condition => c !== undefined);
  let pending = new Set(all);
  return {
    describe: () => [...pending].map((c) => c.describe()).join(", "),
    async wait(signal: AbortSignal): Promise<void> {
      pending = new Set(all);
      const mine = pending;
      const inner = new AbortController();
      const forward = (): void => inner.abort(signal.reason);
      signal.addEventListener("abort", forward, { once: true });
      try {
        await Promise.all(
          all.map(async (c) => {
            try {
              await c.wait(inner.signal);
              mine.delete(c);
            } catch (err) {
              inner.abort(err);
              throw err;
            }
          }),
        );
      } finally {
        signal.removeEventListener("abort", forward);
      }
    },
  };
}

/**
 * Polls `predicate` every `intervalMs` (1000) until it returns true. A predicate that throws fails the
 * condition. Rejects with "context canceled" when aborted.
 */
export function pollCondition(
  description: string,
  predicate: (signal: AbortSignal) => boolean | Promise<boolean>,
  intervalMs = 1000,
): Condition {
  return {
    describe: () => description,
    async wait(signal: AbortSignal): Promise<void> {
      for (;;) {
        if (signal.aborted) throw new Error(CANCELED);
        if (await predicate(signal)) return;
        if (!(await delay(intervalMs, signal))) throw new Error(CANCELED);
      }
    },
  };
}

/** Waits for a file to exist: `file "/x" to exist`. */
export function waitForFileToExist(path: string, intervalMs = 1000): Condition {
  return pollCondition(
    `file ${JSON.stringify(path)} to exist`,
    async () => {
      try {
        await stat(path);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw err;
      }
    },
    intervalMs,
  );
}

/** Waits for all the files to exist. */
export function waitForFilesToExist(paths: readonly string[], intervalMs = 1000): Condition {
  return waitForAll(...paths.map((p) => waitForFileToExist(p, intervalMs)));
}
