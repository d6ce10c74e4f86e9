import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { LogBuffer } from "./log-buffer.ts";
import { exitErrorText, ProcessRunner } from "./process-runner.ts";
import type { EventSink } from "./service.ts";
import { type ServiceState, serviceStateName } from "./state.ts";

function recorder(): { sink: EventSink; events: string[] } {
  const events: string[] = [];
  return { events, sink: (state: ServiceState, msg: string) => events.push(`${serviceStateName(state)}: ${msg}`) };
}

/** PIDs of the live (non-zombie) processes in process group `pgid`, from /proc. */
async function processGroupMembers(pgid: number): Promise<number[]> {
  const members: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z" && Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("runs a program, reports its PID, captures stdout+stderr and fails on a non-zero exit", async () => {
  const log = new LogBuffer();
  const runner = new ProcessRunner({ args: ["/bin/sh", "-c", "echo hi; echo oops >&2; exit 3"], log });
  assert.equal(String(runner), 'Process(["/bin/sh" "-c" "echo hi; echo oops >&2; exit 3"])');
  const { sink, events } = recorder();
  await assert.rejects(runner.run(sink, new AbortController().signal), { message: "exit status 3" });
  assert.match(events[0]!, /^Running: Process Process\(\["\/bin\/sh" "-c" .*\]\) started with PID \d+$/);
  assert.equal(log.text(), "hi\noops\n");
  assert.equal(runner.pid, undefined);
  // Success resolves.
  await new ProcessRunner({ args: ["/bin/sh", "-c", "exit 0"], log }).run(sink, new AbortController().signal);
});

test("the environment is clean: only what the service passes, plus PATH", async () => {
  process.env["SUPERVISOR_TEST_SECRET"] = "leaked";
  process.env["ETCD_INITIAL_CLUSTER"] = "n1=http://127.0.0.1:2380";
  try {
    const log = new LogBuffer();
    const runner = new ProcessRunner({
      args: ["/usr/bin/env"],
      env: { ETCD_NAME: "n1" },
      path: "/usr/bin:/bin",
      log,
    });
    await runner.run(recorder().sink, new AbortController().signal);
    assert.deepEqual(log.text().trim().split("\n").sort(), ["ETCD_NAME=n1", "PATH=/usr/bin:/bin"]);
  } finally {
    delete process.env["SUPERVISOR_TEST_SECRET"];
    delete process.env["ETCD_INITIAL_CLUSTER"];
  }
});

test("cwd, uid and gid", async (t) => {
  const log = new LogBuffer();
  await new ProcessRunner({ args: ["/bin/sh", "-c", "pwd"], cwd: "/tmp", log }).run(
    recorder().sink,
    new AbortController().signal,
  );
  assert.equal(log.text(), "/tmp\n");
  if (process.getuid?.() !== 0) {
    t.skip("needs root to switch users");
    return;
  }
  const ids = new LogBuffer();
  await new ProcessRunner({ args: ["/bin/sh", "-c", "id -u; id -g"], uid: 65534, gid: 65534, log: ids }).run(
    recorder().sink,
    new AbortController().signal,
  );
  assert.equal(ids.text(), "65534\n65534\n");
});

test("spawn errors become a rejection with a clear message, never an uncaught exception", async () => {
  const log = new LogBuffer();
  const { sink, events } = recorder();
  await assert.rejects(
    new ProcessRunner({ args: ["/nonexistent/etcd", "--x"], log }).run(sink, new AbortController().signal),
    {
      message: "error starting process: fork/exec /nonexistent/etcd: no such file or directory",
    },
  );
  await assert.rejects(
    new ProcessRunner({ args: ["no-such-program-here"], log }).run(sink, new AbortController().signal),
    { message: 'error starting process: exec: "no-such-program-here": executable file not found in $PATH' },
  );
  const dir = await mkdtemp(join(tmpdir(), "runner-"));
  try {
    const notExecutable = join(dir, "data");
    await writeFile(notExecutable, "#!/bin/sh\n", { mode: 0o644 });
    await assert.rejects(new ProcessRunner({ args: [notExecutable], log }).run(sink, new AbortController().signal), {
      message: `error starting process: fork/exec ${notExecutable}: permission denied`,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assert.deepEqual(events, []);
});

test("stop sends SIGTERM; a process that exits on it is not killed", async () => {
  const log = new LogBuffer();
  const runner = new ProcessRunner({ args: ["sleep", "30"], log, gracefulShutdownMs: 5000 });
  const { sink, events } = recorder();
  const ctl = new AbortController();
  const run = runner.run(sink, ctl.signal);
  while (runner.pid === undefined) await new Promise((r) => setTimeout(r, 5));
  ctl.abort();
  await run;
  assert.deepEqual(events.slice(1), ['Stopping: Sending SIGTERM to Process(["sleep" "30"])']);
});

test("stop sends SIGKILL after the grace period to a process that traps SIGTERM", async () => {
  const log = new LogBuffer();
  const runner = new ProcessRunner({
    args: ["/bin/sh", "-c", 'trap "" TERM; echo ready; sleep 30 & wait; sleep 30'],
    log,
    gracefulShutdownMs: 150,
  });
  const { sink, events } = recorder();
  const ctl = new AbortController();
  const run = runner.run(sink, ctl.signal);
  while (!log.text().includes("ready")) await new Promise((r) => setTimeout(r, 5));
  const pid = runner.pid!;
  const started = Date.now();
  ctl.abort();
  await run;
  assert.ok(Date.now() - started >= 140);
  const name = 'Process(["/bin/sh" "-c" "trap \\"\\" TERM; echo ready; sleep 30 & wait; sleep 30"])';
  assert.deepEqual(events.slice(1), [`Stopping: Sending SIGTERM to ${name}`, `Stopping: Sending SIGKILL to ${name}`]);
  assert.equal(processAlive(pid), false);
  // The forked sleep went with its process group.
  const leftovers = await processGroupMembers(pid);
  assert.deepEqual(leftovers, []);
});

test("exit texts follow Go's exec.ExitError", () => {
  assert.equal(exitErrorText(0, null), undefined);
  assert.equal(exitErrorText(2, null), "exit status 2");
  assert.equal(exitErrorText(null, "SIGKILL"), "signal: killed");
  assert.equal(exitErrorText(null, "SIGTERM"), "signal: terminated");
  assert.equal(exitErrorText(null, "SIGWINCH"), "signal: SIGWINCH");
});
