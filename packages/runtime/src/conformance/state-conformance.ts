import type { State } from "../state/state.ts";
import { crudCases, type StateCase } from "./state-cases-crud.ts";
import { queryCases } from "./state-cases-query.ts";
import { watchCases } from "./state-cases-watch.ts";

/** Builds a fresh, empty `State` for one case. */
export type StateFactory = () => State | Promise<State>;

/** Registers one named test with the caller's framework (`node:test`'s `test` fits). */
export type TestRegistrar = (name: string, fn: () => Promise<void>) => unknown;

/** Every case a `State` implementation must pass. */
export const stateConformanceCases: readonly StateCase[] = [...crudCases, ...queryCases, ...watchCases];

/** How long one case may take before its watches are aborted (so a missing event fails, never hangs). */
const CASE_DEADLINE_MS = 10_000;

/**
 * Registers the State conformance suite: each case runs against a fresh state from `factory`, with a
 * signal that aborts after the case (and at a deadline), so no watch outlives its case.
 *
 * @example
 * import { test } from "node:test";
 * runStateConformance(() => createInMemoryState(), test);
 */
export function runStateConformance(factory: StateFactory, test: TestRegistrar): void {
  for (const c of stateConformanceCases) {
    test(`State conformance: ${c.name}`, async () => {
      const done = new AbortController();
      const signal = AbortSignal.any([done.signal, AbortSignal.timeout(CASE_DEADLINE_MS)]);
      try {
        await c.run(await factory(), signal);
      } finally {
        done.abort();
      }
    });
  }
}
