// Finding a Docker Engine API to talk to: $DOCKER_HOST, the Docker socket, or our own `podman system service`.
import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import Docker from "dockerode";

/** A connected container engine speaking the Docker Engine API. */
export interface Engine {
  /** The API client. */
  docker: Docker;
  /** Docker itself, or podman's Docker-compatible API. */
  kind: "docker" | "podman";
  /** The unix socket the client talks to; undefined for tcp:// hosts. */
  socketPath: string | undefined;
  /** Where the client talks to, as a DOCKER_HOST value (`unix:///…` or `tcp://…`). */
  host: string;
  /** Engine version string, as reported by the engine. */
  version: string;
}

export interface ConnectOptions {
  /** `unix:///path` or `tcp://host:port`; defaults to $DOCKER_HOST. */
  host?: string;
  /** Where our podman service keeps its socket, config, PID and log (`<stateDir>/podman/`); default ~/.talos. */
  stateDir?: string;
  /** Receives one line per notable step (starting the podman service, …). */
  log?: (line: string) => void;
  /** The podman executable; default: `podman` found in PATH. */
  podman?: string;
}

/** The Docker socket tried when no host is given. */
export const DOCKER_SOCKET = "/var/run/docker.sock";

/**
 * containers.conf for our podman service (feasibility.md §1, ecosystem.md §7): the host's hard limits and
 * bounding set make podman's default ulimits fail, and crun does not support this host's hybrid cgroups.
 */
export const PODMAN_CONTAINERS_CONF = `[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
[engine.runtimes]
runc = ["/usr/sbin/runc"]
`;

const PING_TIMEOUT_MS = 2_000;
const SERVICE_START_TIMEOUT_MS = 10_000;

/** The files of our podman API service under a state directory. */
export function podmanServicePaths(stateDir: string): {
  dir: string;
  conf: string;
  socket: string;
  pid: string;
  log: string;
} {
  const dir = join(stateDir, "podman");
  return {
    dir,
    conf: join(dir, "containers.conf"),
    socket: join(dir, "podman.sock"),
    pid: join(dir, "service.pid"),
    log: join(dir, "service.log"),
  };
}

/** The default state directory, ~/.talos. */
export function defaultStateDir(): string {
  return join(homedir(), ".talos");
}

/** Parses a DOCKER_HOST-style address into dockerode options. */
export function parseEngineHost(host: string): { options: Docker.DockerOptions; socketPath: string | undefined } {
  if (host.startsWith("unix://")) {
    const socketPath = host.slice("unix://".length);
    if (socketPath === "") throw new Error(`invalid container engine host "${host}": empty socket path`);
    return { options: { socketPath }, socketPath };
  }
  if (host.startsWith("tcp://")) {
    const url = new URL(`http://${host.slice("tcp://".length)}`);
    const port = url.port === "" ? 2375 : Number(url.port);
    return { options: { host: url.hostname.replace(/^\[|\]$/g, ""), port, protocol: "http" }, socketPath: undefined };
  }
  throw new Error(`invalid container engine host "${host}": expected unix:///path or tcp://host:port`);
}

/**
 * Connects to a container engine: `opts.host` or $DOCKER_HOST if set (it must answer), else the Docker socket
 * if it answers, else our own `podman system service` under `<stateDir>/podman/` (reused when it already
 * runs, started detached otherwise).
 */
export async function connectEngine(opts: ConnectOptions = {}): Promise<Engine> {
  const log = opts.log ?? (() => {});
  const explicit = opts.host ?? process.env["DOCKER_HOST"];
  if (explicit !== undefined && explicit !== "") {
    const { options, socketPath } = parseEngineHost(explicit);
    const docker = new Docker(options);
    const failure = await ping(docker);
    if (failure !== undefined) {
      const from = opts.host !== undefined ? "" : " (from $DOCKER_HOST)";
      throw new Error(`container engine at ${explicit}${from} does not answer: ${failure}`);
    }
    return describe(docker, socketPath, explicit);
  }

  if (existsSync(DOCKER_SOCKET)) {
    const docker = new Docker({ socketPath: DOCKER_SOCKET });
    if ((await ping(docker)) === undefined) return describe(docker, DOCKER_SOCKET, `unix://${DOCKER_SOCKET}`);
    log(`${DOCKER_SOCKET} does not answer; trying podman`);
  }

  const podman =
    opts.podman !== undefined ? (existsSync(opts.podman) ? opts.podman : undefined) : findExecutable("podman");
  if (podman === undefined) {
    throw new Error(
      "no container engine found: install Docker, or podman (apt-get install podman runc), " +
        `or point DOCKER_HOST at a Docker Engine API (nothing answers at ${DOCKER_SOCKET} and podman is not installed)`,
    );
  }
  return connectPodmanService(podman, opts.stateDir ?? defaultStateDir(), log);
}

async function connectPodmanService(podman: string, stateDir: string, log: (line: string) => void): Promise<Engine> {
  const paths = podmanServicePaths(stateDir);
  const host = `unix://${paths.socket}`;
  const docker = new Docker({ socketPath: paths.socket });
  const answers = async () => existsSync(paths.socket) && (await ping(docker)) === undefined;
  if (await answers()) {
    log(`using the podman API service at ${host}`);
    return describe(docker, paths.socket, host);
  }

  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const lock = join(paths.dir, "service.lock");
  if (!takeLock(lock)) {
    log(`waiting for the podman API service another process is starting at ${host}`);
    const deadline = Date.now() + SERVICE_START_TIMEOUT_MS + 2_000;
    while (Date.now() < deadline) {
      if (await answers()) return describe(docker, paths.socket, host);
      await sleep(100);
    }
    throw new Error(`podman API service at ${host} did not come up; if no other talosctl is running, remove ${lock}`);
  }
  try {
    // It may have come up between the first check and taking the lock.
    if (await answers()) return describe(docker, paths.socket, host);
    // A recorded service that no longer answers is stopped before a new one takes the socket.
    await stopEngineService(stateDir);
    return await startPodmanService(podman, paths, docker, host, log);
  } finally {
    rmSync(lock, { force: true });
  }
}

async function startPodmanService(
  podman: string,
  paths: ReturnType<typeof podmanServicePaths>,
  docker: Docker,
  host: string,
  log: (line: string) => void,
): Promise<Engine> {
  writeAtomic(paths.conf, PODMAN_CONTAINERS_CONF);
  rmSync(paths.socket, { force: true });
  log(`starting the podman API service at ${host} (log: ${paths.log})`);
  const logFd = openSync(paths.log, "a", 0o600);
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(podman, ["system", "service", "--time=0", host], {
      detached: true,
      stdio: ["ignore", logFd, logFd],
      env: { ...process.env, CONTAINERS_CONF: paths.conf },
    });
  } finally {
    closeSync(logFd);
  }
  let exited: string | undefined;
  child.once("exit", (code, signal) => {
    exited = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
  });
  child.once("error", (err) => {
    exited = err.message;
  });
  child.unref();
  if (child.pid === undefined) {
    await new Promise((r) => setImmediate(r));
    throw new Error(`could not start podman (${podman}): ${exited ?? "no PID"}`);
  }
  writeAtomic(paths.pid, `${child.pid}\n`);

  const deadline = Date.now() + SERVICE_START_TIMEOUT_MS;
  let failure: string | undefined = "not started";
  while (Date.now() < deadline && exited === undefined) {
    if (existsSync(paths.socket)) {
      failure = await ping(docker);
      if (failure === undefined) return describe(docker, paths.socket, host);
    }
    await sleep(50);
  }
  const why = exited !== undefined ? `it exited (${exited})` : `it did not answer within 10 s (${failure})`;
  if (exited === undefined) killGroup(child.pid, "SIGKILL");
  rmSync(paths.pid, { force: true });
  throw new Error(`podman API service failed to start: ${why}; see ${paths.log}${tail(paths.log)}`);
}

/**
 * Stops the podman API service that connectEngine started under stateDir (its recorded PID and process
 * group). Returns whether one was running. Containers keep running: conmon is not part of the service.
 */
export async function stopEngineService(stateDir: string = defaultStateDir()): Promise<boolean> {
  const paths = podmanServicePaths(stateDir);
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(paths.pid, "utf8").trim(), 10);
  } catch {
    return false;
  }
  let stopped = false;
  if (Number.isInteger(pid) && pid > 1 && isOurService(pid, paths.socket)) {
    killGroup(pid, "SIGTERM");
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && alive(pid)) await sleep(50);
    if (alive(pid)) killGroup(pid, "SIGKILL");
    stopped = true;
  }
  rmSync(paths.pid, { force: true });
  rmSync(paths.socket, { force: true });
  return stopped;
}

/** Creates the lock file exclusively; false when another process holds it (a stale one is taken over). */
function takeLock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, "wx", 0o600));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    try {
      if (Date.now() - statSync(path).mtimeMs < SERVICE_START_TIMEOUT_MS + 5_000) return false;
    } catch {
      // removed meanwhile: try again
    }
    rmSync(path, { force: true });
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether pid is still our `podman system service` (guards against a reused PID). */
function isOurService(pid: number, socket: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return cmdline.includes("service") && cmdline.includes(`unix://${socket}`);
  } catch {
    // No /proc (not Linux): trust the PID file.
    return alive(pid);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still "exists"; treat it as gone.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Resolves to undefined when the engine answers `GET /_ping`, else to why not. */
async function ping(docker: Docker): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${PING_TIMEOUT_MS / 1000} s`), PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      docker.ping().then(
        () => undefined,
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function describe(docker: Docker, socketPath: string | undefined, host: string): Promise<Engine> {
  const v = (await docker.version()) as Docker.DockerVersion & { Components?: { Name?: string }[] };
  const names = [v.Platform?.Name ?? "", ...(v.Components ?? []).map((c) => c.Name ?? "")];
  const kind = names.some((n) => /podman/i.test(n)) ? "podman" : "docker";
  return { docker, kind, socketPath, host, version: v.Version };
}

/** The absolute path of an executable in PATH, or undefined. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(delimiter)) {
    if (dir === "") continue;
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function tail(path: string): string {
  try {
    const lines = readFileSync(path, "utf8").trimEnd().split("\n").slice(-5);
    return lines.length > 0 && lines[0] !== "" ? `:\n  ${lines.join("\n  ")}` : "";
  } catch {
    return "";
  }
}
