/**
 * Small helpers shared by the supervisor files: abortable sleeps, a change notifier, and Go-compatible
 * formatting of the strings that end up in service events (they are shown by `talosctl service`).
 */

/** Sleeps `ms`; resolves true when the time elapsed, false when `signal` aborted first. Never rejects. */
export function delay(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Resolves when `signal` aborts (never rejects); `cleanup` detaches the listener if it is no longer needed. */
export function aborted(signal: AbortSignal): { promise: Promise<void>; cleanup: () => void } {
  if (signal.aborted) return { promise: Promise.resolve(), cleanup: () => {} };
  let onAbort: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    signal.addEventListener("abort", onAbort, { once: true });
  });
  return { promise, cleanup: () => signal.removeEventListener("abort", onAbort) };
}

/**
 * A level-less "something changed" broadcast: `wait` resolves at the next `notify` (or when the signal
 * aborts). Waiters re-check their own predicate after waking, so spurious wake-ups are harmless.
 */
export class Notifier {
  #resolve: () => void = () => {};
  #promise: Promise<void> = this.#next();

  #next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#resolve = resolve;
    });
  }

  notify(): void {
    const resolve = this.#resolve;
    this.#promise = this.#next();
    resolve();
  }

  async wait(signal?: AbortSignal): Promise<void> {
    if (signal === undefined) return this.#promise;
    const abort = aborted(signal);
    try {
      await Promise.race([this.#promise, abort.promise]);
    } finally {
      abort.cleanup();
    }
  }
}

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Talos records a failed service with its error text, first letter capitalised. */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** Go's `%q` of a string (strconv.Quote) for the characters that occur in command lines. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case "\\":
        out += "\\\\";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\t":
        out += "\\t";
        break;
      case "\r":
        out += "\\r";
        break;
      default:
        out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, "0")}` : ch;
    }
  }
  return `${out}"`;
}

/** Go's `%q` of a []string: `["a" "b"]`. */
export function goQuoteList(items: readonly string[]): string {
  return `[${items.map(goQuote).join(" ")}]`;
}

/** The error a wait gets when the service it belongs to is being stopped (Go's context.Canceled text). */
export const CANCELED = "context canceled";
