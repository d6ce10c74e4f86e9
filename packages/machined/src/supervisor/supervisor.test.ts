import assert from "node:assert/strict";
import { test } from "node:test";
import { GoroutineRunner } from "./goroutine-runner.ts";
import { ProcessRunner } from "./process-runner.ts";
import { type RestartPolicy, RestartRunner } from "./restart-runner.ts";
import type { HealthCheck, Service } from "./service.ts";
import type { ServiceStateChange } from "./service-runner.ts";
import { ServiceState, serviceStateName } from "./state.ts";
import { Supervisor } from "./supervisor.ts";

const FAST = { conditionCheckIntervalMs: 20, reverseDependencyTimeoutMs: 1000 };

function newSupervisor(t: { after(fn: () => Promise<void>): void }, lines?: string[]): Supervisor {
  const sup = new Supervisor({ ...FAST, log: (line) => lines?.push(line) });
  t.after(() => sup.shutdown());
  return sup;
}

/** `[State]: message` of every event of a service, oldest first. */
function history(sup: Supervisor, id: string): string[] {
  return (sup.get(id)?.events ?? []).map((e) => `[${serviceStateName(e.state)}]: ${e.msg}`);
}

async function until(what: string, predicate: () => boolean, sup?: Supervisor, timeoutMs = 1500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) {
      const dump = sup?.list().map((s) => `${s.id}: ${history(sup, s.id).join(" | ")}`);
      assert.fail(`timed out waiting for ${what}\n${dump?.join("\n") ?? ""}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

function processService(
  id: string,
  args: string[],
  options: {
    policy?: RestartPolicy;
    dependsOn?: string[];
    health?: HealthCheck;
    gracefulShutdownMs?: number;
    api?: boolean;
  } = {},
): Service {
  return {
    id,
    dependsOn: options.dependsOn,
    health: options.health,
    apiStartAllowed: options.api,
    apiStopAllowed: options.api,
    apiRestartAllowed: options.api,
    runner: (ctx) =>
      new RestartRunner(
        new ProcessRunner({ args, log: ctx.log, gracefulShutdownMs: options.gracefulShutdownMs ?? 500 }),
        { policy: options.policy ?? "Forever", restartDelayMs: 50 },
      ),
  };
}

/** A goroutine service that serves until stopped. */
function goroutineService(id: string, extra: Partial<Service> = {}): Service {
  return {
    id,
    runner: (ctx) =>
      new GoroutineRunner({
        id,
        log: ctx.log,
        main: (signal) => new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true })),
      }),
    ...extra,
  };
}

const pidOf = (msg: string): number => Number(/started with PID (\d+)$/.exec(msg)?.[1]);

test("the run sequence of a service that finishes", async (t) => {
  const lines: string[] = [];
  const sup = newSupervisor(t, lines);
  let postState: ServiceState | undefined;
  const svc = processService("hello", ["/bin/sh", "-c", "echo hi"], { policy: "Once" });
  const post = (state: ServiceState): void => {
    postState = state;
  };
  assert.equal(sup.load({ ...svc, post }), true);
  assert.equal(sup.load(svc), false);
  assert.equal(sup.get("hello")!.stateName, "Initialized");
  sup.start("hello");
  await sup.waitFor("hello", "finished", AbortSignal.timeout(1500));
  const h = history(sup, "hello");
  assert.deepEqual(h.slice(0, 3), [
    "[Starting]: Starting service",
    "[Preparing]: Running pre state",
    "[Preparing]: Creating service runner",
  ]);
  assert.match(h[3]!, /^\[Running\]: Process Process\(\["\/bin\/sh" "-c" "echo hi"\]\) started with PID \d+$/);
  assert.deepEqual(h.slice(4), ["[Finished]: Service finished successfully"]);
  assert.equal(postState, ServiceState.Running);
  assert.equal(sup.logs.get("hello").text(), "hi\n");
  assert.ok(lines.includes("service[hello](Finished): Service finished successfully"));
  const info = sup.get("hello")!;
  assert.equal(info.state, ServiceState.Finished);
  assert.deepEqual(info.health, { unknown: true, healthy: false, lastMessage: "", lastChange: null });
  assert.equal(sup.isRunning("hello"), false);
});

test("a failing process is restarted forever, each restart visible in the events", async (t) => {
  const sup = newSupervisor(t);
  sup.load(processService("crashy", ["/bin/sh", "-c", "echo hi; exit 3"]));
  sup.start("crashy");
  await until("3 starts", () => history(sup, "crashy").filter((m) => m.includes("started with PID")).length >= 3, sup);
  const h = history(sup, "crashy");
  const restartMsg =
    '[Waiting]: Error running Process(["/bin/sh" "-c" "echo hi; exit 3"]), going to restart forever: exit status 3';
  assert.ok(h.filter((m) => m === restartMsg).length >= 2, h.join("\n"));
  const pids = new Set(h.filter((m) => m.includes("started with PID")).map(pidOf));
  assert.ok(pids.size >= 3);
  assert.ok(sup.get("crashy")!.restarts >= 2);
  assert.equal(sup.isRunning("crashy"), true);
  assert.ok(sup.logs.get("crashy").text().startsWith("hi\nhi\n"));
  await sup.stop("crashy");
  assert.equal(sup.get("crashy")!.stateName, "Finished");
});

test("with policy Once a failure fails the service, with Talos's message", async (t) => {
  const sup = newSupervisor(t);
  sup.load(processService("once", ["/bin/sh", "-c", "exit 3"], { policy: "Once" }));
  sup.start("once");
  await sup.waitFor("once", "down", AbortSignal.timeout(1500));
  assert.deepEqual(history(sup, "once").slice(-1), [
    "[Failed]: Failed running service: error running service: exit status 3",
  ]);
  // A missing binary is a Failed state, not a crash of the supervisor.
  sup.load(processService("nobin", ["/nonexistent/etcd"], { policy: "Once" }));
  sup.start("nobin");
  await sup.waitFor("nobin", "down", AbortSignal.timeout(1500));
  assert.deepEqual(history(sup, "nobin").slice(-1), [
    "[Failed]: Failed running service: error running service: error starting process: fork/exec /nonexistent/etcd: no such file or directory",
  ]);
});

test("pre failures, runner creation failures and skipped services", async (t) => {
  const sup = newSupervisor(t);
  let posts = 0;
  sup.load({
    id: "skipped",
    runner: () => undefined,
    post: () => {
      posts++;
    },
  });
  sup.load({
    id: "badpre",
    pre: async () => {
      throw new Error("mount /var: busy");
    },
    runner: () => undefined,
  });
  sup.load({
    id: "badrunner",
    runner: () => {
      throw new Error("no image");
    },
  });
  sup.startAll();
  for (const id of ["skipped", "badpre", "badrunner"]) await sup.waitFor(id, "down", AbortSignal.timeout(1500));
  assert.deepEqual(history(sup, "skipped").slice(-1), ["[Skipped]: Service skipped"]);
  assert.equal(posts, 1);
  assert.deepEqual(history(sup, "badpre").slice(-1), ["[Failed]: Failed to run pre stage: mount /var: busy"]);
  assert.deepEqual(history(sup, "badrunner").slice(-1), ["[Failed]: Failed to create runner: no image"]);
  // Skipped counts as up.
  await sup.waitFor("skipped", "up", AbortSignal.timeout(100));
});

test("a service waits for its dependencies and condition to be up", async (t) => {
  const sup = newSupervisor(t);
  let healthy = false;
  sup.load(
    goroutineService("cri", {
      health: {
        initialDelayMs: 0,
        periodMs: 20,
        check: async () => {
          if (!healthy) throw new Error("connection refused");
        },
      },
    }),
  );
  let ready = false;
  sup.load({
    ...processService("etcd", ["sleep", "30"], { dependsOn: ["cri", "net"] }),
    condition: {
      describe: () => (ready ? "" : "etcd spec to be ready"),
      wait: async (signal) => {
        while (!ready && !signal.aborted) await new Promise((r) => setTimeout(r, 5));
        if (signal.aborted) throw new Error("context canceled");
      },
    },
  });
  sup.start("etcd");
  await until("etcd waiting", () => sup.get("etcd")!.stateName === "Waiting", sup);
  assert.deepEqual(history(sup, "etcd").slice(-1), [
    '[Waiting]: Waiting for service "cri" to be "up", service "net" to be registered, etcd spec to be ready',
  ]);
  sup.load(goroutineService("net"));
  sup.start("net");
  sup.start("cri");
  await until("cri running", () => sup.get("cri")!.stateName === "Running", sup);
  await until(
    "description change",
    () => history(sup, "etcd").includes('[Waiting]: Waiting for service "cri" to be "up", etcd spec to be ready'),
    sup,
  );
  ready = true;
  await new Promise((r) => setTimeout(r, 60));
  // cri runs but is not healthy: not up, etcd still waits.
  assert.equal(sup.get("etcd")!.stateName, "Waiting");
  assert.deepEqual(history(sup, "etcd").slice(-1), ['[Waiting]: Waiting for service "cri" to be "up"']);
  healthy = true;
  await sup.waitFor("etcd", "up", AbortSignal.timeout(1500));
  assert.match(history(sup, "etcd").at(-1)!, /^\[Running\]: Process Process\(\["sleep" "30"\]\) started with PID \d+$/);
});

test("health flips are recorded while Running and published to observers", async (t) => {
  const sup = newSupervisor(t);
  const seen: ServiceStateChange[] = [];
  sup.onEvent(() => {
    throw new Error("a broken observer does not break the supervisor");
  });
  const off = sup.onEvent((change) => seen.push(change));
  let verdicts = [true, false, false, true];
  sup.load(
    goroutineService("apid", {
      health: {
        initialDelayMs: 0,
        periodMs: 15,
        check: async () => {
          const ok = verdicts.shift();
          if (ok === false) throw new Error("dial tcp 127.0.0.1:50000: connection refused");
        },
      },
    }),
  );
  sup.start("apid");
  await until("three flips", () => verdicts.length === 0 && history(sup, "apid").length >= 7, sup);
  const h = history(sup, "apid");
  assert.deepEqual(h.slice(3), [
    "[Running]: Service started as goroutine",
    "[Running]: Health check successful",
    "[Running]: Health check failed: dial tcp 127.0.0.1:50000: connection refused",
    "[Running]: Health check successful",
  ]);
  const info = sup.get("apid")!;
  assert.equal(info.health.healthy, true);
  assert.equal(info.health.unknown, false);
  assert.ok(info.health.lastChange instanceof Date);
  const flip = seen.find((c) => c.message.startsWith("Health check failed"))!;
  assert.equal(flip.service, "apid");
  assert.equal(flip.state, ServiceState.Running);
  assert.equal(flip.stateName, "Running");
  assert.equal(flip.health.healthy, false);
  assert.deepEqual(
    seen.slice(0, 2).map((c) => [c.state, c.message]),
    [
      [ServiceState.Starting, "Starting service"],
      [ServiceState.Preparing, "Running pre state"],
    ],
  );
  off();
  verdicts = [];
});

test("kill -9 of a service's process gets it restarted", async (t) => {
  const sup = newSupervisor(t);
  const pids = (): number[] =>
    history(sup, "etcd")
      .filter((m) => m.includes("started with PID"))
      .map(pidOf);
  sup.load(
    processService("etcd", ["sleep", "30"], {
      // Healthy while the latest process is alive.
      health: { initialDelayMs: 0, periodMs: 10, check: async () => void process.kill(pids().at(-1) ?? 0, 0) },
    }),
  );
  sup.start("etcd");
  await sup.waitFor("etcd", "up", AbortSignal.timeout(1500));
  const [first] = pids();
  process.kill(first!, "SIGKILL");
  await until("a new PID", () => pids().length === 2, sup);
  await until("healthy again", () => history(sup, "etcd").at(-1) === "[Running]: Health check successful", sup);
  await sup.waitFor("etcd", "up", AbortSignal.timeout(1500));
  const h = history(sup, "etcd");
  assert.ok(
    h.includes('[Waiting]: Error running Process(["sleep" "30"]), going to restart forever: signal: killed'),
    h.join("\n"),
  );
  assert.notEqual(pids()[1], first);
  assert.equal(sup.get("etcd")!.restarts, 1);
});

test("stop sends SIGTERM, then SIGKILL to a process that ignores it", async (t) => {
  const sup = newSupervisor(t);
  sup.load(
    processService("stubborn", ["/bin/sh", "-c", 'trap "" TERM; echo ready; sleep 30 & wait'], {
      gracefulShutdownMs: 100,
    }),
  );
  sup.start("stubborn");
  await until("ready", () => sup.logs.get("stubborn").text() === "ready\n", sup);
  await sup.stop("stubborn");
  const name = 'Process(["/bin/sh" "-c" "trap \\"\\" TERM; echo ready; sleep 30 & wait"])';
  assert.deepEqual(history(sup, "stubborn").slice(-3), [
    `[Stopping]: Sending SIGTERM to ${name}`,
    `[Stopping]: Sending SIGKILL to ${name}`,
    "[Finished]: Service finished successfully",
  ]);
  assert.equal(sup.isRunning("stubborn"), false);
});

test("stop takes reverse dependencies down first; shutdown stops everything in reverse order", async (t) => {
  const sup = newSupervisor(t);
  const order: string[] = [];
  sup.onEvent((c) => {
    if (c.state === ServiceState.Finished) order.push(c.service);
  });
  sup.load(goroutineService("containerd"));
  sup.load(goroutineService("apid", { dependsOn: ["containerd"] }));
  sup.load(goroutineService("dashboard", { dependsOn: ["apid"] }));
  sup.load(goroutineService("udevd"));
  sup.startAll();
  for (const id of ["containerd", "apid", "dashboard", "udevd"]) await sup.waitFor(id, "up", AbortSignal.timeout(1500));
  await sup.stop("containerd");
  assert.deepEqual(order, ["dashboard", "apid", "containerd"]);
  assert.equal(sup.get("udevd")!.stateName, "Running");

  sup.startAll();
  for (const id of ["containerd", "apid", "dashboard"]) await sup.waitFor(id, "up", AbortSignal.timeout(1500));
  order.length = 0;
  await sup.shutdown();
  assert.deepEqual(
    order.filter((id) => id !== "udevd"),
    ["dashboard", "apid", "containerd"],
  );
  assert.ok(order.includes("udevd"));
  // Nothing starts after shutdown.
  sup.start("udevd");
  assert.equal(sup.isRunning("udevd"), false);
  assert.equal(sup.load(goroutineService("late")), false);
});

test("stopping a waiting service fails its condition; restart and unload", async (t) => {
  const sup = newSupervisor(t);
  sup.load(goroutineService("kubelet", { dependsOn: ["cri"] }));
  sup.start("kubelet");
  await until("waiting", () => sup.get("kubelet")!.stateName === "Waiting", sup);
  await sup.stop("kubelet");
  assert.deepEqual(history(sup, "kubelet").slice(-1), ["[Failed]: Condition failed: context canceled"]);

  sup.load(goroutineService("trustd"));
  await sup.restart("trustd"); // not running: a start
  await sup.waitFor("trustd", "up", AbortSignal.timeout(1500));
  await sup.restart("trustd");
  await sup.waitFor("trustd", "up", AbortSignal.timeout(1500));
  const h = history(sup, "trustd");
  assert.equal(h.filter((m) => m === "[Starting]: Starting service").length, 2);
  assert.ok(h.includes("[Finished]: Service finished successfully"));

  await sup.unload("trustd");
  assert.equal(sup.get("trustd"), undefined);
  assert.deepEqual(
    sup.list().map((s) => s.id),
    ["kubelet"],
  );
  await sup.unload("trustd"); // no-op
  assert.throws(() => sup.start("trustd"), { message: 'service "trustd" not defined' });
  await assert.rejects(sup.waitFor("trustd", "up", AbortSignal.timeout(30)), { name: "TimeoutError" });
});

test("API start/stop/restart follow the service's flags, with Talos's messages", async (t) => {
  const sup = newSupervisor(t);
  sup.load(goroutineService("etcd"));
  sup.load(goroutineService("ext-foo", { apiStartAllowed: true, apiStopAllowed: true, apiRestartAllowed: true }));
  sup.load(goroutineService("kubelet", { apiStartAllowed: true, apiRestartAllowed: true }));

  await assert.rejects(sup.apiStart("etcd"), { message: `service "etcd" doesn't support start operation via API` });
  await assert.rejects(sup.apiStart("nope"), { message: 'service "nope" not defined' });
  // Not running: stop is a no-op, restart is a start (and needs start permission).
  await sup.apiStop("etcd");
  await assert.rejects(sup.apiRestart("etcd"), { message: `service "etcd" doesn't support start operation via API` });

  sup.start("etcd");
  await sup.waitFor("etcd", "up", AbortSignal.timeout(1500));
  await sup.apiStart("etcd"); // running: no-op
  await assert.rejects(sup.apiStop("etcd"), { message: `service "etcd" doesn't support stop operation via API` });
  await assert.rejects(sup.apiRestart("etcd"), { message: `service "etcd" doesn't support restart operation via API` });

  await sup.apiRestart("kubelet"); // stopped: a start
  await sup.waitFor("kubelet", "up", AbortSignal.timeout(1500));
  await assert.rejects(sup.apiStop("kubelet"), { message: `service "kubelet" doesn't support stop operation via API` });
  await sup.apiRestart("kubelet");
  await sup.waitFor("kubelet", "up", AbortSignal.timeout(1500));

  await sup.apiStart("ext-foo");
  await sup.waitFor("ext-foo", "up", AbortSignal.timeout(1500));
  await sup.apiStop("ext-foo");
  assert.equal(sup.get("ext-foo")!.stateName, "Finished");
  assert.equal(sup.isRunning("ext-foo"), false);
});

test("a service's log can be followed while it runs", async (t) => {
  const sup = newSupervisor(t);
  sup.load(processService("ticker", ["/bin/sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.02; done; sleep 30"]));
  sup.start("ticker");
  const ctl = new AbortController();
  let text = "";
  for await (const chunk of sup.logs.get("ticker").follow({ tail: -1, signal: ctl.signal })) {
    text += chunk.toString();
    if (text.includes("line3\n")) ctl.abort();
  }
  assert.equal(text, "line1\nline2\nline3\n");
  assert.equal(sup.logs.get("ticker").text({ tail: 1 }), "line3\n");
});
