/**
 * Exponential backoff with jitter (the cenkalti/backoff defaults COSI uses): the first delay is around
 * `initialMs`, each next one `multiplier` times the previous, capped at `maxMs`, each randomised by
 * ±`jitter`. It never gives up.
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly multiplier: number;
  /** Randomisation factor: 0.5 = ±50 %. */
  readonly jitter: number;
  readonly maxMs: number;
  /** Uniform [0, 1) source (inject a constant for deterministic tests). */
  readonly random: () => number;
}

/** Controller restart defaults: 0.5 s, ×1.5, ±50 %, max 60 s. */
export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 500,
  multiplier: 1.5,
  jitter: 0.5,
  maxMs: 60_000,
  random: Math.random,
};

/** A backoff sequence. */
export interface Backoff {
  /** The next delay in milliseconds. */
  next(): number;
  /** Starts over from `initialMs`. */
  reset(): void;
}

/** A backoff sequence with `options` over the defaults. */
export function createBackoff(options: Partial<BackoffOptions> = {}): Backoff {
  const o: BackoffOptions = { ...DEFAULT_BACKOFF, ...options };
  let current = o.initialMs;
  return {
    next() {
      const delta = o.jitter * current;
      const delay = current - delta + o.random() * 2 * delta;
      current = Math.min(current * o.multiplier, o.maxMs);
      return Math.max(0, Math.round(delay));
    },
    reset() {
      current = o.initialMs;
    },
  };
}
