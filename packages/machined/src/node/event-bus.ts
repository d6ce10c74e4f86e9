// The machine event stream (`talosctl events`): a ring of the last 1,000 events, replayed to new
// subscribers as asked (last N, since an ID, last N seconds, by actor), then live.
import { randomBytes } from "node:crypto";
import { type DescMessage, type MessageShape, toBinary } from "@bufbuild/protobuf";

export interface MachineEvent {
  readonly id: string;
  readonly actorId: string;
  /** Protobuf full name of the payload, e.g. `machine.ServiceStateEvent`. */
  readonly typeName: string;
  readonly payload: Uint8Array;
  readonly ts: Date;
}

export interface SubscribeOptions {
  readonly tailEvents?: number;
  readonly tailId?: string;
  readonly tailSeconds?: number;
  readonly withActorId?: string;
}

const CAPACITY = 1000;
const BASE32HEX = "0123456789abcdefghijklmnopqrstuv";
let counter = randomBytes(3).readUIntBE(0, 3);
const machineId = randomBytes(5);

/** A globally unique, time-ordered 20-character ID in the xid format Talos uses for events. */
export function newXid(now = new Date()): string {
  const b = Buffer.alloc(12);
  b.writeUInt32BE(Math.floor(now.getTime() / 1000), 0);
  machineId.copy(b, 4);
  counter = (counter + 1) & 0xffffff;
  b.writeUIntBE(counter, 9, 3);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of b) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

export class EventBus {
  readonly #ring: MachineEvent[] = [];
  readonly #listeners = new Set<(e: MachineEvent) => void>();

  publish<D extends DescMessage>(schema: D, message: MessageShape<D>, actorId = ""): MachineEvent {
    const event: MachineEvent = {
      id: newXid(),
      actorId,
      typeName: schema.typeName,
      payload: toBinary(schema, message),
      ts: new Date(),
    };
    this.#ring.push(event);
    if (this.#ring.length > CAPACITY) this.#ring.shift();
    for (const l of this.#listeners) l(event);
    return event;
  }

  /** Replayed history per the options, then live events until the signal aborts. */
  async *subscribe(opts: SubscribeOptions, signal: AbortSignal): AsyncIterable<MachineEvent> {
    const queue: MachineEvent[] = [];
    let wake: (() => void) | undefined;
    const listener = (e: MachineEvent) => {
      queue.push(e);
      wake?.();
    };
    this.#listeners.add(listener);
    try {
      for (const e of this.#history(opts)) yield e;
      while (!signal.aborted) {
        const next = queue.shift();
        if (next !== undefined) {
          if (opts.withActorId === undefined || opts.withActorId === "" || next.actorId === opts.withActorId)
            yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
        wake = undefined;
      }
    } finally {
      this.#listeners.delete(listener);
    }
  }

  #history(opts: SubscribeOptions): MachineEvent[] {
    let events = this.#ring;
    if (opts.withActorId !== undefined && opts.withActorId !== "") {
      events = events.filter((e) => e.actorId === opts.withActorId);
    }
    if (opts.tailId !== undefined && opts.tailId !== "") {
      const i = events.findIndex((e) => e.id === opts.tailId);
      return i < 0 ? [] : events.slice(i + 1);
    }
    if (opts.tailSeconds !== undefined && opts.tailSeconds > 0) {
      const since = Date.now() - opts.tailSeconds * 1000;
      return events.filter((e) => e.ts.getTime() >= since);
    }
    if (opts.tailEvents !== undefined && opts.tailEvents !== 0) {
      return opts.tailEvents < 0 ? [...events] : events.slice(-opts.tailEvents);
    }
    return [];
  }
}
