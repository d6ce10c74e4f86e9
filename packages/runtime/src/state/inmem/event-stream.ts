import { childSignal } from "../../internal/abort.ts";
import type { WatchEvent } from "../state.ts";
import type { Collection, StoredEvent } from "./collection.ts";

/**
 * A watch over `collection`: first `initial`, then every event recorded from the moment of this call,
 * translated (or dropped, when `translate` returns `undefined`). Ends quietly when `signal` aborts; ends
 * with an `errored` event if the consumer falls behind the collection's history.
 *
 * The start position is taken synchronously, before the first `next()`, so no change made after
 * `watch()` returned can be missed.
 */
export function streamEvents<Spec>(
  collection: Collection,
  initial: readonly WatchEvent<Spec>[],
  translate: (event: StoredEvent) => WatchEvent<Spec> | undefined,
  signal: AbortSignal,
): AsyncIterable<WatchEvent<Spec>> {
  return generate(collection, collection.writePos, initial, translate, childSignal(signal));
}

async function* generate<Spec>(
  collection: Collection,
  start: number,
  initial: readonly WatchEvent<Spec>[],
  translate: (event: StoredEvent) => WatchEvent<Spec> | undefined,
  signal: AbortSignal,
): AsyncGenerator<WatchEvent<Spec>, void, undefined> {
  for (const event of initial) {
    if (signal.aborted) return;
    yield event;
  }
  let pos = start;
  while (!signal.aborted) {
    if (pos === collection.writePos) {
      if (!(await collection.waitForWrite(signal))) return;
      continue;
    }
    if (collection.overrun(pos)) {
      const behind = collection.writePos - pos;
      yield {
        type: "errored",
        error: new Error(
          `buffer overrun: namespace ${JSON.stringify(collection.namespace)} type ${JSON.stringify(collection.type)}: ` +
            `watcher is ${behind} events behind, history keeps ${collection.capacity}`,
        ),
      };
      return;
    }
    const event = translate(collection.eventAt(pos));
    pos++;
    if (event !== undefined) yield event;
  }
}
