/**
 * In-memory circular log buffers, one per log id (Talos's `logging.CircularBufferLoggingManager` over
 * siderolabs/go-circular): a buffer starts at 16 KiB, doubles as it fills up to 1 MiB, then drops the oldest
 * bytes. Readers ask for the last N lines and may follow new writes. Lost at reboot, as in Talos.
 *
 * Independent of services: machined also keeps its own `machined` and `controller-runtime` logs here.
 */

/** Where a producer writes log output (a process's stdout+stderr, a goroutine service's messages). */
export interface LogSink {
  write(chunk: string | Uint8Array): void;
}

export interface LogBufferOptions {
  /** Initial capacity in bytes (16 KiB). */
  initialSize?: number;
  /** Maximum capacity in bytes (1 MiB); beyond it the oldest bytes are dropped. */
  maxSize?: number;
}

export interface LogReadOptions {
  /** The last N lines; -1 (the default) is everything kept, 0 nothing. */
  tail?: number;
}

export interface LogFollowOptions extends LogReadOptions {
  /** Ends the iteration (the iterator returns, it does not throw). */
  signal?: AbortSignal;
}

export const LOG_BUFFER_INITIAL_SIZE = 16 * 1024;
export const LOG_BUFFER_MAX_SIZE = 1024 * 1024;

const NEWLINE = 0x0a;

/** One circular log buffer. Offsets are absolute: the count of bytes written since creation. */
export class LogBuffer implements LogSink {
  readonly #max: number;
  #buf: Buffer;
  /** Total bytes ever written (the absolute offset of the next byte). */
  #total = 0;
  /** Whether the last byte dropped was a newline, i.e. the oldest kept line is complete. */
  #startsLine = true;
  readonly #waiters = new Set<() => void>();

  constructor(options: LogBufferOptions = {}) {
    this.#max = Math.max(1, options.maxSize ?? LOG_BUFFER_MAX_SIZE);
    this.#buf = Buffer.alloc(Math.min(this.#max, Math.max(1, options.initialSize ?? LOG_BUFFER_INITIAL_SIZE)));
  }

  /** Current capacity in bytes. */
  get capacity(): number {
    return this.#buf.length;
  }

  /** Bytes currently kept. */
  get size(): number {
    return this.#total - this.#start;
  }

  /** Bytes written since creation (kept or dropped). */
  get written(): number {
    return this.#total;
  }

  /** Absolute offset of the oldest byte kept. */
  get #start(): number {
    return Math.max(0, this.#total - this.#buf.length);
  }

  write(chunk: string | Uint8Array): void {
    let data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (data.length === 0) return;
    this.#grow(Math.min(this.#max, this.size + data.length));
    const cap = this.#buf.length;
    const newStart = Math.max(0, this.#total + data.length - cap);
    if (newStart > this.#start) {
      const before = newStart - 1;
      const byte = before >= this.#total ? data[before - this.#total] : this.#buf[before % cap];
      this.#startsLine = byte === NEWLINE;
    }
    if (data.length > cap) {
      // Only the newest `cap` bytes can be kept.
      this.#total += data.length - cap;
      data = data.subarray(data.length - cap);
    }
    const at = this.#total % cap;
    const first = Math.min(data.length, cap - at);
    this.#buf.set(data.subarray(0, first), at);
    if (first < data.length) this.#buf.set(data.subarray(first), 0);
    this.#total += data.length;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  #grow(needed: number): void {
    let cap = this.#buf.length;
    if (needed <= cap) return;
    while (cap < needed) cap = Math.min(this.#max, cap * 2);
    const kept = this.#slice(this.#start, this.#total);
    const next = Buffer.alloc(cap);
    const at = (this.#total - kept.length) % cap;
    const first = Math.min(kept.length, cap - at);
    next.set(kept.subarray(0, first), at);
    if (first < kept.length) next.set(kept.subarray(first), 0);
    this.#buf = next;
  }

  /** A copy of the absolute range [from, to), clamped to what is kept. */
  #slice(from: number, to: number): Buffer {
    from = Math.max(from, this.#start);
    to = Math.min(to, this.#total);
    if (to <= from) return Buffer.alloc(0);
    const cap = this.#buf.length;
    const a = from % cap;
    const b = a + (to - from);
    if (b <= cap) return Buffer.from(this.#buf.subarray(a, b));
    return Buffer.concat([this.#buf.subarray(a), this.#buf.subarray(0, b - cap)]);
  }

  /**
   * Absolute offset where the last `tail` lines start. Once bytes were dropped, the oldest kept line is
   * partial and is skipped (unless it is all there is).
   */
  #tailOffset(tail: number): number {
    if (tail === 0) return this.#total;
    const start = this.#start;
    const kept = this.#slice(start, this.#total);
    let first = 0;
    if (start > 0 && !this.#startsLine) {
      const nl = kept.indexOf(NEWLINE);
      if (nl >= 0 && nl + 1 < kept.length) first = nl + 1;
    }
    if (tail < 0) return start + first;
    // A trailing newline ends the last line; it does not start an empty one.
    let pos = kept.length > 0 && kept[kept.length - 1] === NEWLINE ? kept.length - 1 : kept.length;
    for (let lines = 0; pos > first; ) {
      const nl = kept.lastIndexOf(NEWLINE, pos - 1);
      if (nl < first) break;
      if (++lines === tail) return start + nl + 1;
      pos = nl;
    }
    return start + first;
  }

  /** The last `tail` lines kept (everything by default). */
  read(options: LogReadOptions = {}): Buffer {
    return this.#slice(this.#tailOffset(options.tail ?? -1), this.#total);
  }

  /** `read` as UTF-8 text. */
  text(options: LogReadOptions = {}): string {
    return this.read(options).toString("utf8");
  }

  /**
   * Yields the last `tail` lines (if any), then every new chunk as it is written, until `signal` aborts.
   * A reader that falls more than the buffer's capacity behind skips what was dropped.
   */
  async *follow(options: LogFollowOptions = {}): AsyncGenerator<Buffer, void, undefined> {
    const { signal } = options;
    let offset = this.#tailOffset(options.tail ?? -1);
    while (signal?.aborted !== true) {
      offset = Math.max(offset, this.#start);
      if (offset < this.#total) {
        const chunk = this.#slice(offset, this.#total);
        offset = this.#total;
        yield chunk;
        continue;
      }
      await this.#nextWrite(signal);
    }
  }

  #nextWrite(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.#waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      this.#waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}

/** Log buffers by id (`machined`, `controller-runtime`, `etcd`, ...), created on first use. */
export class LogRegistry {
  readonly #buffers = new Map<string, LogBuffer>();
  readonly #options: LogBufferOptions;

  constructor(options: LogBufferOptions = {}) {
    this.#options = options;
  }

  /** The buffer of `id`, created empty if it does not exist yet. */
  get(id: string): LogBuffer {
    let buffer = this.#buffers.get(id);
    if (buffer === undefined) {
      buffer = new LogBuffer(this.#options);
      this.#buffers.set(id, buffer);
    }
    return buffer;
  }

  has(id: string): boolean {
    return this.#buffers.has(id);
  }

  /** Ids with a buffer, sorted. */
  ids(): string[] {
    return [...this.#buffers.keys()].sort();
  }
}
