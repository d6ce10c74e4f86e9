import { deepEqual } from "../resource/equal.ts";

/**
 * Minimal assertions for the conformance suites, so `runtime` ships them without depending on a test
 * framework. Each throws an `Error` naming what was checked.
 */

/** Fails unless `actual` deep-equals `expected`. */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (!deepEqual(actual, expected)) {
    throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** Fails unless `condition`. */
export function expectTrue(condition: boolean, what: string): void {
  if (!condition) throw new Error(`${what}: expected to hold`);
}

/** Fails unless `promise` rejects with an error `guard` accepts. */
export async function expectReject(
  promise: Promise<unknown>,
  guard: (e: unknown) => boolean,
  what: string,
): Promise<void> {
  try {
    await promise;
  } catch (e: unknown) {
    if (guard(e)) return;
    throw new Error(
      `${what}: rejected with the wrong error: ${e instanceof Error ? `${e.name}: ${e.message}` : show(e)}`,
    );
  }
  throw new Error(`${what}: expected a rejection`);
}

/** The next value of a stream; fails if the stream ended (e.g. the case's deadline aborted it). */
export async function nextOf<T>(iterator: AsyncIterator<T>, what: string): Promise<T> {
  const result = await iterator.next();
  if (result.done === true) throw new Error(`${what}: stream ended before the expected event`);
  return result.value;
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}
