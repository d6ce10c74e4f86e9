// Progress of a support bundle on stderr: on a terminal, one redrawn bar per source (node or `cluster`),
// as Talos's uiprogress display; otherwise (or with --verbose) one line per collected file.

/** A collector that finished, successfully or not. */
export interface StepEvent {
  readonly source: string;
  /** Path inside the source's folder. */
  readonly file: string;
  readonly done: number;
  readonly total: number;
  readonly error?: string;
  readonly bytes?: number;
  readonly ms: number;
}

export interface ProgressReporter {
  /** A source starts (or learns how many collectors it has). */
  start(source: string, total: number): void;
  step(ev: StepEvent): void;
  /** A source could not be collected at all. */
  failed(source: string, error: string): void;
  /** Ends the display (before the summary is printed). */
  stop(): void;
}

interface Writer {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The display for this stderr: bars on a terminal unless verbose, lines otherwise. */
export function createProgress(out: Writer, verbose: boolean): ProgressReporter {
  return out.isTTY === true && !verbose ? new BarProgress(out) : new LineProgress(out, verbose);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** `<source>: [n/total] <file>`, with the error, or (verbose) the size and time. */
export class LineProgress implements ProgressReporter {
  readonly #out: Writer;
  readonly #verbose: boolean;

  constructor(out: Writer, verbose: boolean) {
    this.#out = out;
    this.#verbose = verbose;
  }

  start(source: string, total: number): void {
    if (this.#verbose && total > 0) this.#out.write(`${source}: collecting ${total} files\n`);
  }

  step(ev: StepEvent): void {
    let line = `${ev.source}: [${ev.done}/${ev.total}] ${ev.file}`;
    if (ev.error !== undefined) line += `: error: ${ev.error.split("\n")[0]}`;
    else if (this.#verbose) line += ` (${size(ev.bytes ?? 0)}, ${Math.round(ev.ms)} ms)`;
    this.#out.write(`${line}\n`);
  }

  failed(source: string, error: string): void {
    this.#out.write(`${source}: failed: ${error.split("\n")[0]}\n`);
  }

  stop(): void {}
}

interface Bar {
  done: number;
  total: number;
  failures: number;
  state: string;
  readonly started: number;
}

const BAR_WIDTH = 20;

/** One line per source: elapsed time, a bar, the completed share and what it is doing; redrawn in place. */
export class BarProgress implements ProgressReporter {
  readonly #out: Writer;
  readonly #bars = new Map<string, Bar>();
  #drawn = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(out: Writer) {
    this.#out = out;
  }

  start(source: string, total: number): void {
    const bar = this.#bars.get(source);
    if (bar !== undefined) bar.total = total;
    else this.#bars.set(source, { done: 0, total, failures: 0, state: "initializing...", started: Date.now() });
    this.#timer ??= setInterval(() => this.#draw(), 100);
    this.#timer.unref();
    this.#draw();
  }

  step(ev: StepEvent): void {
    const bar = this.#bars.get(ev.source);
    if (bar === undefined) return;
    bar.done = ev.done;
    bar.total = ev.total;
    if (ev.error !== undefined) bar.failures++;
    bar.state = ev.done < ev.total ? `collect ${ev.file}` : bar.failures > 0 ? `done, ${bar.failures} failed` : "done";
  }

  failed(source: string, error: string): void {
    const bar = this.#bars.get(source) ?? { done: 0, total: 0, failures: 0, state: "", started: Date.now() };
    bar.state = `failed: ${error.split("\n")[0]}`;
    this.#bars.set(source, bar);
    this.#draw();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#draw();
  }

  #draw(): void {
    const columns = this.#out.columns ?? 80;
    const now = Date.now();
    const lines = [...this.#bars].map(([source, b]) => {
      const share = b.total > 0 ? b.done / b.total : 0;
      const filled = Math.round(share * BAR_WIDTH);
      const bar =
        filled >= BAR_WIDTH
          ? "=".repeat(BAR_WIDTH)
          : `${"=".repeat(Math.max(filled - 1, 0))}${filled > 0 ? ">" : ""}${"-".repeat(BAR_WIDTH - filled)}`;
      const elapsed = `${Math.floor((now - b.started) / 1000)}s`.padStart(4);
      const line = `${elapsed} [${bar}] ${String(Math.floor(share * 100)).padStart(3)}% ${source}: ${b.state}`;
      return line.length > columns - 1 ? line.slice(0, columns - 1) : line;
    });
    let text = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : "";
    for (const l of lines) text += `\x1b[2K${l}\n`;
    this.#drawn = lines.length;
    this.#out.write(text);
  }
}
