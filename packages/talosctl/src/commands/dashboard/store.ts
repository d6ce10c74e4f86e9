// The dashboard's live data: every node polled each interval (each on its own, so a node that is down only
// shows its error) and its log followed, with change notifications coalesced for the screen.
import { ConnectError } from "@connectrpc/connect";
import { LineSlicer } from "../logs.ts";
import { type DashboardApi, errorText } from "./api.ts";
import {
  cpuUsage,
  HISTORY,
  LOG_LINES,
  memUsage,
  type NodeData,
  newNodeData,
  pushBounded,
  sanitizeLogLine,
} from "./model.ts";

export interface StoreOptions {
  readonly intervalMs: number;
  /** Static facts (version, CPU info, machine type) are re-read every this many polls. */
  readonly slowEvery?: number;
  /** How long to wait before reopening a failed log stream. */
  readonly logRetryMs?: number;
  /** How many lines of machined's log to start from when falling back to it. */
  readonly fallbackTailLines?: number;
  /** How long change notifications are held to coalesce bursts (log floods). */
  readonly notifyDelayMs?: number;
}

/** Waits, unless aborted first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Whether a Dmesg failure means the node may not read the kernel log (a node running as a process or in a
 * container without access to /dev/kmsg, or one that does not implement Dmesg), rather than being down.
 */
export function kernelLogDenied(e: unknown): boolean {
  if (e instanceof ConnectError && (e.code === 7 /* PermissionDenied */ || e.code === 12) /* Unimplemented */) {
    return true;
  }
  const text = e instanceof ConnectError ? e.rawMessage : e instanceof Error ? e.message : String(e);
  return /kmsg|kernel log|operation not permitted|permission denied/i.test(text);
}

export class DashboardStore {
  readonly nodes: readonly NodeData[];
  readonly #api: DashboardApi;
  readonly #opts: Required<StoreOptions>;
  readonly #abort = new AbortController();
  readonly #listeners = new Set<() => void>();
  /** Per node: changes so far. */
  readonly #versions: number[];
  /** Changes to what every node's screen shows of all nodes (which ones are failing). */
  #tabsVersion = 0;
  readonly #pending = new Set<NodeData>();
  /** Per node: aborts its current log stream so that it is reopened. */
  readonly #logRestarts = new Map<NodeData, AbortController>();
  #notifyTimer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(api: DashboardApi, nodes: readonly string[], opts: StoreOptions) {
    this.#api = api;
    this.nodes = nodes.map(newNodeData);
    this.#versions = nodes.map(() => 0);
    this.#opts = {
      slowEvery: 10,
      logRetryMs: Math.max(1000, opts.intervalMs),
      fallbackTailLines: 200,
      notifyDelayMs: 50,
      ...opts,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /**
   * A token that changes whenever the screen of node `index` would: its own data, or which nodes fail (the
   * node tabs). Changes to other nodes do not re-render the screen.
   */
  snapshot(index: number): string {
    return `${this.#versions[index] ?? 0}/${this.#tabsVersion}`;
  }

  /** Starts polling and following logs on every node. */
  start(): void {
    const signal = this.#abort.signal;
    this.#running = Promise.all(this.nodes.flatMap((d) => [this.#pollLoop(d, signal), this.#followLog(d, signal)]));
  }

  /** Stops everything: streams are cancelled, calls in flight are abandoned (they time out on their own). */
  stop(): void {
    this.#abort.abort();
    clearTimeout(this.#notifyTimer);
    this.#notifyTimer = undefined;
  }

  /** Settles once every loop has ended after {@link stop} (for tests). */
  async settled(): Promise<void> {
    await this.#running;
  }

  #changed(d: NodeData): void {
    if (this.#abort.signal.aborted) return;
    this.#pending.add(d);
    if (this.#notifyTimer !== undefined) return;
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = undefined;
      for (const n of this.#pending) {
        const i = this.nodes.indexOf(n);
        this.#versions[i] = (this.#versions[i] ?? 0) + 1;
      }
      this.#pending.clear();
      for (const l of this.#listeners) l();
    }, this.#opts.notifyDelayMs);
  }

  async #pollLoop(d: NodeData, signal: AbortSignal): Promise<void> {
    for (let i = 0; !signal.aborted; i++) {
      const started = Date.now();
      await this.pollOnce(d, i % this.#opts.slowEvery === 0);
      if (signal.aborted) return;
      this.#changed(d);
      await sleep(Math.max(0, this.#opts.intervalMs - (Date.now() - started)), signal);
    }
  }

  /** One poll of a node: every call at once; what answered is kept, what failed is listed in `errors`. */
  async pollOnce(d: NodeData, slow: boolean): Promise<void> {
    const api = this.#api;
    const n = d.node;
    const errors: string[] = [];
    const run = async <T>(call: () => Promise<T>, apply: (v: T) => void) => {
      try {
        apply(await call());
      } catch (e) {
        errors.push(errorText(e));
      }
    };
    const needSlow = slow || d.version === undefined || d.cpus === undefined || d.machineType === undefined;
    await Promise.all([
      run(
        () => api.hostname(n),
        (v) => {
          d.hostname = v;
        },
      ),
      run(
        () => api.systemStat(n),
        (s) => {
          d.bootTime = s.bootTime;
          if (s.cpuTotal !== undefined) {
            const usage = d.lastCpu !== undefined ? cpuUsage(d.lastCpu, s.cpuTotal) : undefined;
            if (usage !== undefined) {
              d.cpuUsage = usage;
              pushBounded(d.cpuHistory, [usage], HISTORY);
            }
            d.lastCpu = s.cpuTotal;
          }
        },
      ),
      run(
        () => api.memory(n),
        (m) => {
          d.memTotalKiB = m.totalKiB;
          const usage = memUsage(m.totalKiB, m.availableKiB);
          if (usage !== undefined) {
            d.memUsage = usage;
            pushBounded(d.memHistory, [usage], HISTORY);
          }
        },
      ),
      run(
        () => api.processCount(n),
        (v) => {
          d.processes = v;
        },
      ),
      run(
        () => api.loadAvg(n),
        (v) => {
          d.load = v;
        },
      ),
      run(
        () => api.services(n),
        (v) => {
          d.services = v;
        },
      ),
      run(
        () => api.machineStatus(n),
        (v) => {
          d.stage = v?.stage;
          d.ready = v?.ready;
          d.unmetConditions = v?.unmetConditions;
        },
      ),
      run(
        () => api.memberCount(n),
        (v) => {
          d.members = v;
        },
      ),
      run(
        () => api.addresses(n),
        (v) => {
          d.addresses = v;
        },
      ),
      ...(needSlow
        ? [
            run(
              () => api.version(n),
              (v) => {
                d.version = v;
              },
            ),
            run(
              () => api.cpuInfo(n),
              (v) => {
                d.cpus = v.count;
                d.cpuMhz = v.mhz;
              },
            ),
            run(
              () => api.machineType(n),
              (v) => {
                d.machineType = v;
              },
            ),
          ]
        : []),
    ]);
    // A node that is down fails every call alike: show each distinct error once.
    const recovered = d.errors.length > 0 && errors.length === 0;
    if (recovered || (d.errors.length === 0 && errors.length > 0)) this.#tabsVersion++;
    d.errors = [...new Set(errors)];
    if (recovered) this.#logRestarts.get(d)?.abort();
    d.polledAt = Date.now();
  }

  #appendLog(d: NodeData, lines: readonly string[]): void {
    if (lines.length === 0) return;
    pushBounded(d.logLines, lines.map(sanitizeLogLine), LOG_LINES);
    this.#changed(d);
  }

  /**
   * Follows the node's kernel log (Dmesg). When the node may not read it (a process or container node
   * without /dev/kmsg), follows `logs machined` instead and says why in the panel title. A stream that
   * fails is reopened after a pause, from where it left off; so is one that was open while the node stopped
   * answering, once it answers again (a stream through a proxy can stall silently when its node goes away).
   */
  async #followLog(d: NodeData, signal: AbortSignal): Promise<void> {
    let resumed = false;
    while (!signal.aborted) {
      const kernel = d.logSource.kind === "kernel";
      const slicer = new LineSlicer();
      const restart = new AbortController();
      const stop = () => restart.abort();
      signal.addEventListener("abort", stop, { once: true });
      this.#logRestarts.set(d, restart);
      let received = false;
      try {
        const stream = kernel
          ? this.#api.dmesg(d.node, resumed, restart.signal)
          : this.#api.serviceLogs(d.node, "machined", resumed ? 0 : this.#opts.fallbackTailLines, restart.signal);
        for await (const chunk of stream) {
          if (!received && d.logError !== undefined) {
            d.logError = undefined;
            this.#changed(d);
          }
          received = true;
          this.#appendLog(d, slicer.push(d.node, chunk));
          if (restart.signal.aborted) break;
        }
        if (signal.aborted) return;
        this.#appendLog(
          d,
          slicer.flush().map((r) => r.line),
        );
        if (!restart.signal.aborted) d.logError = "log stream ended";
      } catch (e) {
        if (signal.aborted) return;
        if (kernel && !received && kernelLogDenied(e)) {
          d.logSource = { kind: "machined", reason: errorText(e).replace(/^rpc error: code = \w+ desc = /, "") };
          d.logError = undefined;
          this.#changed(d);
          continue;
        }
        if (!restart.signal.aborted) d.logError = errorText(e);
      } finally {
        signal.removeEventListener("abort", stop);
        this.#logRestarts.delete(d);
      }
      resumed = resumed || received;
      this.#changed(d);
      // A restart (the node is back) reconnects at once; a failure waits.
      if (!restart.signal.aborted) await sleep(this.#opts.logRetryMs, signal);
    }
  }
}
