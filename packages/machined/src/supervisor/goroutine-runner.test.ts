import assert from "node:assert/strict";
import { test } from "node:test";
import { GoroutineRunner } from "./goroutine-runner.ts";
import { LogBuffer } from "./log-buffer.ts";
import { type ServiceState, serviceStateName } from "./state.ts";

test("runs an async function with the service log until it is aborted", async () => {
  const log = new LogBuffer();
  const events: string[] = [];
  const runner = new GoroutineRunner({
    id: "machined",
    log,
    main: async (signal, out) => {
      out.write("serving\n");
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      throw signal.reason; // an AbortError after a stop is not a failure
    },
  });
  assert.equal(String(runner), 'Goroutine("machined")');
  const ctl = new AbortController();
  const run = runner.run((s: ServiceState, m) => events.push(`${serviceStateName(s)}: ${m}`), ctl.signal);
  await new Promise((r) => setTimeout(r, 5));
  ctl.abort();
  await run;
  assert.deepEqual(events, ["Running: Service started as goroutine"]);
  assert.equal(log.text(), "serving\n");
});

test("an error (or a non-Error throw) fails the run", async () => {
  const log = new LogBuffer();
  const failing = new GoroutineRunner({
    id: "apid",
    log,
    main: async () => {
      throw new Error("listen tcp :50000: address already in use");
    },
  });
  await assert.rejects(
    failing.run(() => {}, new AbortController().signal),
    {
      message: "listen tcp :50000: address already in use",
    },
  );
  const odd = new GoroutineRunner({
    id: "trustd",
    log,
    main: () => Promise.reject("plain string"),
  });
  await assert.rejects(
    odd.run(() => {}, new AbortController().signal),
    { message: "plain string" },
  );
  // Returning resolves.
  await new GoroutineRunner({ id: "x", log, main: async () => {} }).run(() => {}, new AbortController().signal);
});
