import assert from "node:assert/strict";
import { test } from "node:test";
import { LOG_BUFFER_INITIAL_SIZE, LOG_BUFFER_MAX_SIZE, LogBuffer, LogRegistry } from "./log-buffer.ts";

test("tail returns the last N lines; -1 is everything, 0 nothing", () => {
  const buf = new LogBuffer();
  buf.write("one\ntwo\n");
  buf.write(Buffer.from("three\n"));
  assert.equal(buf.text(), "one\ntwo\nthree\n");
  assert.equal(buf.text({ tail: -1 }), "one\ntwo\nthree\n");
  assert.equal(buf.text({ tail: 0 }), "");
  assert.equal(buf.text({ tail: 1 }), "three\n");
  assert.equal(buf.text({ tail: 2 }), "two\nthree\n");
  assert.equal(buf.text({ tail: 10 }), "one\ntwo\nthree\n");
  buf.write("partial");
  assert.equal(buf.text({ tail: 1 }), "partial");
  assert.equal(buf.text({ tail: 2 }), "three\npartial");
  assert.equal(new LogBuffer().text({ tail: 3 }), "");
});

test("grows from 16 KiB to 1 MiB, then drops the oldest bytes", () => {
  const buf = new LogBuffer();
  assert.equal(buf.capacity, LOG_BUFFER_INITIAL_SIZE);
  const line = `${"x".repeat(1023)}\n`;
  for (let i = 0; i < 20; i++) buf.write(line);
  assert.equal(buf.capacity, 32 * 1024);
  assert.equal(buf.size, 20 * 1024);
  for (let i = 0; i < 2000; i++) buf.write(`${String(i).padStart(1023, "0")}\n`);
  assert.equal(buf.capacity, LOG_BUFFER_MAX_SIZE);
  assert.equal(buf.size, LOG_BUFFER_MAX_SIZE);
  assert.equal(buf.written, 2020 * 1024);
  const lines = buf.text().split("\n").filter(Boolean);
  assert.equal(lines.length, 1024);
  assert.equal(Number(lines[0]), 2000 - 1024);
  assert.equal(Number(lines.at(-1)), 1999);
});

test("wraps around; the partial oldest line is skipped", () => {
  const buf = new LogBuffer({ initialSize: 8, maxSize: 32 });
  for (let i = 0; i < 10; i++) buf.write(`line${i}\n`);
  // 60 bytes written, the last 32 kept: "4\n" (the end of line4) and line5..line9.
  assert.equal(buf.size, 32);
  assert.equal(buf.text(), "line5\nline6\nline7\nline8\nline9\n");
  assert.equal(buf.text({ tail: 2 }), "line8\nline9\n");
  assert.equal(buf.text({ tail: 100 }), "line5\nline6\nline7\nline8\nline9\n");
  // A chunk larger than the whole buffer keeps its end.
  buf.write(`${"a".repeat(40)}\nend\n`);
  assert.equal(buf.size, 32);
  assert.equal(buf.text(), "end\n");
  assert.equal(buf.written, 60 + 45);
});

test("follow yields the tail, then new chunks, until aborted", async () => {
  const buf = new LogBuffer();
  buf.write("a\nb\nc\n");
  const ctl = new AbortController();
  const got: string[] = [];
  const reader = (async () => {
    for await (const chunk of buf.follow({ tail: 1, signal: ctl.signal })) {
      got.push(chunk.toString());
      if (got.length === 3) ctl.abort();
    }
  })();
  await new Promise((r) => setImmediate(r));
  buf.write("d\n");
  await new Promise((r) => setImmediate(r));
  buf.write("e\n");
  await reader;
  assert.deepEqual(got, ["c\n", "d\n", "e\n"]);
});

test("follow of an empty buffer waits; abort ends it without throwing", async () => {
  const buf = new LogBuffer();
  const ctl = new AbortController();
  const got: string[] = [];
  const reader = (async () => {
    for await (const chunk of buf.follow({ signal: ctl.signal })) got.push(chunk.toString());
  })();
  await new Promise((r) => setTimeout(r, 10));
  ctl.abort();
  await reader;
  assert.deepEqual(got, []);
});

test("a follower that falls behind skips what was dropped", async () => {
  const buf = new LogBuffer({ initialSize: 16, maxSize: 16 });
  const ctl = new AbortController();
  const it = buf.follow({ tail: 0, signal: ctl.signal });
  const first = it.next();
  buf.write("0123456789\n");
  assert.equal((await first).value?.toString(), "0123456789\n");
  // Not reading while 3 more lines come in: only the last 16 bytes are there.
  buf.write("aaaaaaaaa\n");
  buf.write("bbbbbbbbb\n");
  buf.write("ccccccccc\n");
  const next = await it.next();
  assert.equal(next.value?.toString(), "bbbbb\nccccccccc\n");
  ctl.abort();
  assert.equal((await it.next()).done, true);
});

test("the registry creates buffers on first use", () => {
  const logs = new LogRegistry();
  assert.equal(logs.has("etcd"), false);
  logs.get("etcd").write("x\n");
  logs.get("machined");
  assert.equal(logs.get("etcd").text(), "x\n");
  assert.deepEqual(logs.ids(), ["etcd", "machined"]);
});
