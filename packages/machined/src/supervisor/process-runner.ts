/**
 * Runs a service as a host process (Talos's `runner/process`): a clean environment, stdout+stderr into the
 * service's log, SIGTERM then SIGKILL on stop. Nothing here throws out of the event loop: spawn failures
 * (ENOENT, EACCES, EPERM for uid/gid) reject `run` with a readable message, which the service records.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { getSystemErrorMessage } from "node:util";
import { aborted, delay, errorMessage, goQuoteList } from "./internal.ts";
import type { LogSink } from "./log-buffer.ts";
import type { EventSink, Runner } from "./service.ts";
import { ServiceState } from "./state.ts";

/** PATH given to services when neither they nor machined's own environment have one. */
export const DEFAULT_SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Grace period between SIGTERM and SIGKILL (Talos's `GracefulShutdownTimeout`). */
export const DEFAULT_GRACEFUL_SHUTDOWN_MS = 10_000;

export interface ProcessRunnerOptions {
  /** Program and arguments; `args[0]` is the program (absolute, or looked up in PATH). */
  args: readonly string[];
  /** The whole environment of the process besides PATH; machined's own environment is not inherited. */
  env?: Readonly<Record<string, string>>;
  /** PATH of the process; default machined's PATH, else `DEFAULT_SERVICE_PATH`. `env.PATH` wins over both. */
  path?: string;
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Receives stdout and stderr (usually `RunnerContext.log`). */
  log: LogSink;
  /** Time between SIGTERM and SIGKILL on stop (10 s). */
  gracefulShutdownMs?: number;
}

/** How long to wait, after the process exited, for its output to reach the log. */
const STDIO_DRAIN_MS = 1000;

/** Go's `syscall.Signal.String()` for the signals a service dies of. */
const GO_SIGNAL_NAMES: Record<string, string> = {
  SIGHUP: "hangup",
  SIGINT: "interrupt",
  SIGQUIT: "quit",
  SIGILL: "illegal instruction",
  SIGTRAP: "trace/breakpoint trap",
  SIGABRT: "aborted",
  SIGBUS: "bus error",
  SIGFPE: "floating point exception",
  SIGKILL: "killed",
  SIGUSR1: "user defined signal 1",
  SIGSEGV: "segmentation fault",
  SIGUSR2: "user defined signal 2",
  SIGPIPE: "broken pipe",
  SIGALRM: "alarm clock",
  SIGTERM: "terminated",
};

/** The text of an unsuccessful exit, as Go's `*exec.ExitError`: "exit status 3", "signal: killed". */
export function exitErrorText(code: number | null, signal: NodeJS.Signals | null): string | undefined {
  if (signal !== null) return `signal: ${GO_SIGNAL_NAMES[signal] ?? signal}`;
  if (code !== null && code !== 0) return `exit status ${code}`;
  return undefined;
}

function spawnErrorText(program: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (typeof e.errno !== "number") return errorMessage(err);
  const reason = getSystemErrorMessage(e.errno);
  if (e.code === "ENOENT" && !program.includes("/")) return `exec: "${program}": executable file not found in $PATH`;
  return `fork/exec ${program}: ${reason}`;
}

export class ProcessRunner implements Runner {
  readonly #opts: ProcessRunnerOptions;
  #pid: number | undefined;

  constructor(options: ProcessRunnerOptions) {
    if (options.args.length === 0) throw new Error("process runner needs a program");
    this.#opts = options;
  }

  /** PID of the running process, undefined when none runs. */
  get pid(): number | undefined {
    return this.#pid;
  }

  /** The environment the process gets. */
  environment(): Record<string, string> {
    const path = this.#opts.path ?? process.env["PATH"] ?? DEFAULT_SERVICE_PATH;
    return { PATH: path, ...this.#opts.env };
  }

  toString(): string {
    return `Process(${goQuoteList(this.#opts.args)})`;
  }

  async run(sink: EventSink, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const [program, ...args] = this.#opts.args as [string, ...string[]];
    let child: ChildProcess;
    try {
      child = spawn(program, args, {
        env: this.environment(),
        cwd: this.#opts.cwd,
        uid: this.#opts.uid,
        gid: this.#opts.gid,
        stdio: ["ignore", "pipe", "pipe"],
        // Its own process group, so that a kill reaches what it forked (as a cgroup kill does in Talos).
        detached: true,
      });
    } catch (err) {
      throw new Error(`error starting process: ${spawnErrorText(program, err)}`);
    }

    const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("exit", (code, sig) => resolve({ code, signal: sig }));
    });
    const started = new Promise<unknown>((resolve) => {
      child.once("spawn", () => resolve(undefined));
      child.once("error", (err) => resolve(err));
    });
    // Later errors (a failed kill) must not become uncaught exceptions.
    child.on("error", () => {});
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on("data", (chunk: Buffer) => this.#opts.log.write(chunk));
      stream?.on("error", () => {});
    }

    const spawnError = await started;
    if (spawnError !== undefined) throw new Error(`error starting process: ${spawnErrorText(program, spawnError)}`);
    const pid = child.pid!;
    this.#pid = pid;
    try {
      sink(ServiceState.Running, `Process ${this} started with PID ${pid}`);

      const stop = aborted(signal);
      const first = await Promise.race([exited, stop.promise.then(() => undefined)]);
      stop.cleanup();
      if (first !== undefined) {
        const failure = exitErrorText(first.code, first.signal);
        if (failure !== undefined) throw new Error(failure);
        return;
      }

      // A requested stop: SIGTERM, then SIGKILL after the grace period. The exit status does not matter.
      sink(ServiceState.Stopping, `Sending SIGTERM to ${this}`);
      child.kill("SIGTERM");
      const graceful = new AbortController();
      const inTime = await Promise.race([
        exited.then(() => true),
        delay(this.#opts.gracefulShutdownMs ?? DEFAULT_GRACEFUL_SHUTDOWN_MS, graceful.signal).then(() => false),
      ]);
      graceful.abort();
      if (!inTime) {
        sink(ServiceState.Stopping, `Sending SIGKILL to ${this}`);
        killGroup(pid);
        child.kill("SIGKILL");
        await exited;
      }
    } finally {
      this.#pid = undefined;
      // Whatever the main process left behind in its group goes with it; then let the pipes drain into the
      // log (bounded: a grandchild that left the group may hold them open).
      killGroup(pid);
      const drained = new AbortController();
      await Promise.race([closed, delay(STDIO_DRAIN_MS, drained.signal)]);
      drained.abort();
    }
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: the group is already empty.
  }
}
