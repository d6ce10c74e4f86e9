import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import {
  type Controller,
  type ControllerRuntime,
  type Input,
  isControllerAccessError,
} from "../controller/controller.ts";
import type { LogFields, Logger } from "../controller/logger.ts";
import { newKind, newPointer } from "../resource/pointer.ts";
import { newResource } from "../resource/resource.ts";
import { isConflict } from "../state/errors.ts";
import { createInMemoryState } from "../state/inmem/inmem-state.ts";
import type { State } from "../state/state.ts";
import { createEngine, type Engine } from "./engine.ts";

const INPUT = newKind<{ n: number }>("test", "Inputs.test.dev");
const OUTPUT = newKind<{ total: number }>("test", "Outputs.test.dev");
const OTHER = newKind<{ n: number }>("test", "Others.test.dev");
const input = (kind: Input["kind"] = "weak", id?: string): Input => ({
  namespace: INPUT.namespace,
  type: INPUT.type,
  kind,
  ...(id === undefined ? {} : { id }),
});
const TINY_BACKOFF = { initialMs: 1, multiplier: 1, jitter: 0, maxMs: 1 };

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: LogFields;
}

function captureLogger(lines: LogLine[]): Logger {
  const at =
    (level: string) =>
    (message: string, fields: LogFields = {}): void => {
      lines.push({ level, message, fields });
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Lets pending microtasks and I/O callbacks (watch dispatch, wake-ups) run; no timers involved. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

interface Harness {
  readonly state: State;
  readonly engine: Engine;
  readonly logs: LogLine[];
  readonly signal: AbortSignal;
  readonly running: Promise<void>;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** Registers `controllers` and runs the engine until the test ends. */
function start(...controllers: Controller[]): Harness {
  const state = createInMemoryState();
  const logs: LogLine[] = [];
  const engine = createEngine({ state, logger: captureLogger(logs), backoff: TINY_BACKOFF });
  for (const c of controllers) engine.register(c);
  const ctl = new AbortController();
  const running = engine.run(ctl.signal);
  stops.push(async () => {
    ctl.abort();
    await running;
  });
  return { state, engine, logs, signal: AbortSignal.any([ctl.signal, AbortSignal.timeout(5000)]), running };
}

/** Sums the inputs into one output `total` on every wake-up. */
function summingController(name = "test.SumController"): Controller & { reconciles: number } {
  const ctrl = {
    name,
    inputs: [input()],
    outputs: [{ type: OUTPUT.type, kind: "exclusive" as const }],
    reconciles: 0,
    async run(rt: ControllerRuntime) {
      for await (const _ of rt.events()) {
        ctrl.reconciles++;
        const items = await rt.list(INPUT);
        const total = items.reduce((sum, r) => sum + r.spec.n, 0);
        await rt.modify(newResource(newPointer(OUTPUT, "sum"), { total: 0 }), (r) => {
          r.spec.total = total;
        });
        rt.resetRestartBackoff();
      }
    },
  };
  return ctrl;
}

test("a controller reconciles at start and again whenever an input changes", async () => {
  const ctrl = summingController();
  const h = start(ctrl);
  const sum = newPointer(OUTPUT, "sum");
  const first = await h.state.watchFor(sum, (r) => r !== undefined, h.signal);
  assert.equal(first?.spec.total, 0);
  assert.equal(first?.metadata.owner, "test.SumController");

  await h.state.create(newResource(newPointer(INPUT, "a"), { n: 2 }));
  await h.state.create(newResource(newPointer(INPUT, "b"), { n: 3 }));
  assert.equal((await h.state.watchFor(sum, (r) => r?.spec.total === 5, h.signal))?.spec.total, 5);
  await h.state.destroy(newPointer(INPUT, "a"));
  assert.equal((await h.state.watchFor(sum, (r) => r?.spec.total === 3, h.signal))?.spec.total, 3);
});

test("a burst of input changes during a reconcile collapses into one more wake-up", async () => {
  let reconciles = 0;
  const started = Promise.withResolvers<void>();
  const gate = Promise.withResolvers<void>();
  const seen: number[] = [];
  const h = start({
    name: "test.SlowController",
    inputs: [input()],
    outputs: [],
    async run(rt) {
      for await (const _ of rt.events()) {
        reconciles++;
        if (reconciles === 1) {
          started.resolve();
          await gate.promise;
        }
        seen.push((await rt.list(INPUT)).length);
      }
    },
  });
  await started.promise;
  for (let i = 0; i < 10; i++) await h.state.create(newResource(newPointer(INPUT, `i${i}`), { n: i }));
  await settle();
  gate.resolve();
  await settle();
  assert.equal(reconciles, 2);
  assert.deepEqual(seen, [10, 10]);
});

test("a throwing controller is logged and restarted with backoff, then reconciles", async () => {
  let runs = 0;
  const recovered = Promise.withResolvers<void>();
  const h = start({
    name: "test.FlakyController",
    inputs: [],
    outputs: [],
    async run(rt) {
      runs++;
      if (runs <= 3) throw new Error(`boom ${runs}`);
      for await (const _ of rt.events()) {
        rt.resetRestartBackoff();
        recovered.resolve();
      }
    },
  });
  await recovered.promise;
  assert.equal(runs, 4);
  assert.deepEqual(h.engine.status(), [{ name: "test.FlakyController", restarts: 3, running: true }]);
  const failures = h.logs.filter((l) => l.message === "controller failed");
  assert.equal(failures.length, 3);
  const [first, , third] = failures;
  assert.equal(first?.level, "error");
  assert.equal(first?.fields["controller"], "test.FlakyController");
  assert.equal((third?.fields["error"] as Error | undefined)?.message, "boom 3");
});

test("a rejected non-Error and a synchronous throw are failures too", async () => {
  let runs = 0;
  const again = Promise.withResolvers<void>();
  const h = start({
    name: "test.OddController",
    inputs: [],
    outputs: [],
    run(_rt, signal): Promise<void> {
      runs++;
      if (runs === 1) throw "plain string";
      if (runs === 2) return Promise.reject(42);
      again.resolve();
      return untilAborted(signal);
    },
  });
  await again.promise;
  const errors = h.logs
    .filter((l) => l.message === "controller failed")
    .map((l) => (l.fields["error"] as Error).message);
  assert.deepEqual(errors, ["plain string", "non-error thrown: 42"]);
});

test("a controller that returns is finished, not restarted", async () => {
  let runs = 0;
  const h = start({
    name: "test.OneShot",
    inputs: [],
    outputs: [],
    async run() {
      runs++;
    },
  });
  await settle();
  assert.equal(runs, 1);
  assert.deepEqual(h.engine.status(), [{ name: "test.OneShot", restarts: 0, running: false }]);
  assert.ok(h.logs.some((l) => l.message === "controller finished"));
});

test("writes to undeclared outputs and reads of undeclared inputs are refused", async () => {
  const result = Promise.withResolvers<unknown[]>();
  start({
    name: "test.Sneaky",
    inputs: [input("weak", "only-this")],
    outputs: [{ type: OUTPUT.type, kind: "exclusive" }],
    async run(rt) {
      const errors: unknown[] = [];
      const attempt = async (op: () => Promise<unknown>): Promise<void> => {
        try {
          await op();
          errors.push(undefined);
        } catch (e: unknown) {
          errors.push(e);
        }
      };
      await attempt(() => rt.create(newResource(newPointer(OTHER, "x"), { n: 1 })));
      await attempt(() => rt.modify(newResource(newPointer(OTHER, "x"), { n: 1 }), () => {}));
      await attempt(() => rt.destroy(newPointer(OTHER, "x")));
      await attempt(() => rt.get(newPointer(OTHER, "x")));
      await attempt(() => rt.list(INPUT));
      await attempt(() => rt.addFinalizer(newPointer(INPUT, "only-this"), ["f"]));
      await attempt(() => rt.get(newPointer(INPUT, "only-this")));
      await attempt(() => rt.list(OUTPUT));
      result.resolve(errors);
    },
  });
  const errors = await result.promise;
  assert.equal(errors.length, 8);
  for (const e of errors.slice(0, 6)) assert.ok(isControllerAccessError(e), `access error: ${String(e)}`);
  assert.match(
    (errors[0] as Error).message,
    /test\.Sneaky.*create of test\/Others\.test\.dev\/x refused.*not a declared output/,
  );
  assert.match((errors[3] as Error).message, /read of test\/Others\.test\.dev\/x refused/);
  assert.match((errors[5] as Error).message, /not a declared strong input/);
  assert.equal((errors[6] as Error).name, "NotFoundError", "declared ID input is readable");
  assert.equal(errors[7], undefined, "own outputs are listable");
});

test("finalizers may be put on strong inputs", async () => {
  const done = Promise.withResolvers<void>();
  const h = start({
    name: "test.Holder",
    inputs: [input("strong")],
    outputs: [],
    async run(rt) {
      for await (const _ of rt.events()) {
        for (const r of await rt.list(INPUT)) await rt.addFinalizer(r.metadata, ["test.Holder"]);
        if ((await rt.list(INPUT)).length > 0) done.resolve();
      }
    },
  });
  await h.state.create(newResource(newPointer(INPUT, "a"), { n: 1 }));
  await done.promise;
  const a = await h.state.get(newPointer(INPUT, "a"));
  assert.deepEqual(a.metadata.finalizers, ["test.Holder"]);
  await assert.rejects(
    h.state.destroy(newPointer(INPUT, "a")),
    (e: unknown) => isConflict(e) && e.reason === "finalizers",
  );
});

test("registration rejects a second writer when either is exclusive, and duplicate names", () => {
  const engine = createEngine({ state: createInMemoryState() });
  const ctrl = (name: string, kind: "exclusive" | "shared"): Controller => ({
    name,
    inputs: [],
    outputs: [{ type: OUTPUT.type, kind }],
    run: async () => {},
  });
  engine.register(ctrl("a.Exclusive", "exclusive"));
  assert.throws(
    () => engine.register(ctrl("b.Exclusive", "exclusive")),
    /already written by "a\.Exclusive" \(exclusive\)/,
  );
  assert.throws(() => engine.register(ctrl("b.Shared", "shared")), /already written by "a\.Exclusive"/);
  assert.throws(() => engine.register(ctrl("a.Exclusive", "shared")), /already registered/);

  const shared = createEngine({ state: createInMemoryState() });
  shared.register(ctrl("a.Shared", "shared"));
  shared.register(ctrl("b.Shared", "shared"));
  assert.throws(() => shared.register(ctrl("c.Exclusive", "exclusive")), /already written by "a\.Shared" \(shared\)/);
  assert.deepEqual(
    shared.dependencyGraph().map((e) => `${e.controller}:${e.kind}`),
    ["a.Shared:outputShared", "b.Shared:outputShared"],
  );
});

test("shared outputs are owned per controller: one cannot overwrite another's", async () => {
  const results = Promise.withResolvers<unknown>();
  const writer = (name: string, after?: () => Promise<void>): Controller => ({
    name,
    inputs: [],
    outputs: [{ type: OUTPUT.type, kind: "shared" }],
    async run(rt, signal) {
      await after?.();
      try {
        await rt.modify(newResource(newPointer(OUTPUT, "same"), { total: 0 }), (r) => {
          r.spec.total = name.length;
        });
        if (after !== undefined) results.resolve(undefined);
      } catch (e: unknown) {
        results.resolve(e);
      }
      await untilAborted(signal);
    },
  });
  const first = Promise.withResolvers<void>();
  const h = start(
    writer("a.Writer"),
    writer("bb.Writer", () => first.promise),
  );
  await h.state.watchFor(newPointer(OUTPUT, "same"), (r) => r !== undefined, h.signal);
  first.resolve();
  const e = await results.promise;
  assert.ok(isConflict(e) && e.reason === "owner", `owner conflict: ${String(e)}`);
});

test("destroyReady inputs wake only when an output is tearing down without finalizers", async () => {
  let reconciles = 0;
  const destroyed = Promise.withResolvers<void>();
  const out = newPointer(OUTPUT, "o");
  const h = start({
    name: "test.Finisher",
    inputs: [{ namespace: OUTPUT.namespace, type: OUTPUT.type, kind: "destroyReady" }],
    outputs: [{ type: OUTPUT.type, kind: "exclusive" }],
    async run(rt) {
      for await (const _ of rt.events()) {
        reconciles++;
        if (reconciles === 1) {
          await rt.create(newResource(out, { total: 1 }));
          continue;
        }
        const current = await rt.get(out);
        if (current.metadata.phase === "tearingDown" && current.metadata.finalizers.length === 0) {
          await rt.destroy(out);
          destroyed.resolve();
        }
      }
    },
  });
  await h.state.watchFor(out, (r) => r !== undefined, h.signal);
  await h.state.addFinalizer(out, ["someone"]);
  await h.state.teardown(out, { owner: "test.Finisher" });
  await settle();
  assert.equal(reconciles, 1, "updates with finalizers pending do not wake");
  await h.state.removeFinalizer(out, ["someone"]);
  await destroyed.promise;
  assert.equal(reconciles, 2);
});

test("updateInputs changes what wakes the controller", async () => {
  let reconciles = 0;
  const h = start({
    name: "test.Dynamic",
    inputs: [],
    outputs: [],
    async run(rt) {
      for await (const _ of rt.events()) {
        reconciles++;
        rt.updateInputs([{ namespace: OTHER.namespace, type: OTHER.type, kind: "weak" }]);
      }
    },
  });
  await settle();
  assert.equal(reconciles, 1);
  await h.state.create(newResource(newPointer(OTHER, "x"), { n: 1 }));
  await settle();
  assert.equal(reconciles, 2);
  assert.deepEqual(h.engine.dependencyGraph(), [
    { controller: "test.Dynamic", kind: "inputWeak", type: OTHER.type, namespace: OTHER.namespace },
  ]);
});

test("cleanupOutputs destroys the owned outputs a reconcile did not write", async () => {
  const h = start({
    name: "test.Mirror",
    inputs: [input()],
    outputs: [{ type: OUTPUT.type, kind: "shared" }],
    async run(rt) {
      for await (const _ of rt.events()) {
        rt.startTrackingOutputs();
        for (const r of await rt.list(INPUT)) {
          await rt.modify(newResource(newPointer(OUTPUT, r.metadata.id), { total: 0 }), (o) => {
            o.spec.total = r.spec.n;
          });
        }
        await rt.cleanupOutputs([OUTPUT]);
      }
    },
  });
  await h.state.create(newResource(newPointer(OUTPUT, "foreign"), { total: 9 }));
  await h.state.create(newResource(newPointer(INPUT, "a"), { n: 1 }));
  await h.state.create(newResource(newPointer(INPUT, "b"), { n: 2 }));
  await h.state.watchFor(newPointer(OUTPUT, "b"), (r) => r !== undefined, h.signal);
  await h.state.destroy(newPointer(INPUT, "a"));
  await h.state.watchFor(newPointer(OUTPUT, "a"), (r) => r === undefined, h.signal);
  const ids = (await h.state.list(OUTPUT)).map((r) => r.metadata.id);
  assert.deepEqual(ids, ["b", "foreign"]);
});

test("run resolves once every controller stopped after abort; controllers see the abort", async () => {
  const state = createInMemoryState();
  const engine = createEngine({ state, backoff: TINY_BACKOFF });
  let sawAbort = false;
  const started = Promise.withResolvers<void>();
  engine.register({
    name: "test.Waiter",
    inputs: [input()],
    outputs: [],
    async run(rt, signal) {
      for await (const _ of rt.events()) started.resolve();
      sawAbort = signal.aborted;
    },
  });
  const ctl = new AbortController();
  const running = engine.run(ctl.signal);
  await started.promise;
  await assert.rejects(engine.run(ctl.signal), /already running/);
  ctl.abort();
  await running;
  assert.equal(sawAbort, true);
  assert.deepEqual(engine.status(), [{ name: "test.Waiter", restarts: 0, running: false }]);
});

test("controllers registered while running start at once", async () => {
  const h = start();
  const ctrl = summingController("test.Late");
  h.engine.register(ctrl);
  await h.state.create(newResource(newPointer(INPUT, "a"), { n: 4 }));
  const sum = await h.state.watchFor(newPointer(OUTPUT, "sum"), (r) => r?.spec.total === 4, h.signal);
  assert.equal(sum?.metadata.owner, "test.Late");
});
