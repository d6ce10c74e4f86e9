import assert from "node:assert/strict";
import { test } from "node:test";
import { RestartPolicy, RestartRunner } from "./restart-runner.ts";
import type { EventSink, Runner } from "./service.ts";
import { ServiceState, serviceStateName } from "./state.ts";

/** A runner whose runs follow a script: an error message fails the run, undefined succeeds. */
function scripted(outcomes: (string | undefined)[]): Runner & { runs: number } {
  return {
    runs: 0,
    toString: () => "Fake()",
    async run(sink: EventSink) {
      const outcome = outcomes[this.runs++];
      sink(ServiceState.Running, `run ${this.runs}`);
      if (outcome !== undefined) throw new Error(outcome);
    },
  };
}

function record(): { sink: EventSink; events: string[] } {
  const events: string[] = [];
  return { events, sink: (s, m) => events.push(`${serviceStateName(s)}: ${m}`) };
}

test("Forever restarts after failures and successes", async () => {
  const inner = scripted(["exit status 1", undefined, "exit status 2", undefined]);
  const runner = new RestartRunner(inner, { restartDelayMs: 5 });
  assert.equal(String(runner), "Restart(Forever, Fake())");
  const { sink, events } = record();
  const ctl = new AbortController();
  const run = runner.run((s, m) => {
    sink(s, m);
    if (m === "run 4") ctl.abort();
  }, ctl.signal);
  await run;
  assert.deepEqual(events, [
    "Running: run 1",
    "Waiting: Error running Fake(), going to restart forever: exit status 1",
    "Running: run 2",
    "Waiting: Runner Fake() exited without error, going to restart it",
    "Running: run 3",
    "Waiting: Error running Fake(), going to restart forever: exit status 2",
    "Running: run 4",
  ]);
  assert.equal(runner.restarts, 3);
});

test("Once returns the single outcome; UntilSuccess retries failures only", async () => {
  await assert.rejects(
    new RestartRunner(scripted(["boom"]), { policy: RestartPolicy.Once }).run(() => {}, new AbortController().signal),
    { message: "boom" },
  );
  const inner = scripted(["no quorum", undefined]);
  const { sink, events } = record();
  await new RestartRunner(inner, { policy: RestartPolicy.UntilSuccess, restartDelayMs: 5 }).run(
    sink,
    new AbortController().signal,
  );
  assert.deepEqual(events, [
    "Running: run 1",
    "Waiting: Error running Fake(), going to restart until it succeeds: no quorum",
    "Running: run 2",
  ]);
});

test("a stop during the restart delay aborts the sequence", async () => {
  const { sink, events } = record();
  const ctl = new AbortController();
  const run = new RestartRunner(scripted(["exit status 1"]), { restartDelayMs: 60_000 }).run(sink, ctl.signal);
  await new Promise((r) => setTimeout(r, 5));
  ctl.abort();
  await run;
  assert.deepEqual(events.slice(-1), ["Stopping: Aborting restart sequence"]);
});
