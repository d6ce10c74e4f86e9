import assert from "node:assert/strict";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { EmptySchema, timestampDate } from "@bufbuild/protobuf/wkt";
import type { HandlerContext } from "@connectrpc/connect";
import { TimeRequestSchema, TimeResponseSchema } from "@talos/machinery/api";
import { createTimeService } from "./time-service.ts";

const ctx = { signal: new AbortController().signal } as unknown as HandlerContext;

test("time: the machine's clock as both local and remote time; no server unless configured", async () => {
  const before = Date.now();
  const res = create(TimeResponseSchema, await createTimeService().time!(create(EmptySchema), ctx));
  assert.equal(res.messages.length, 1);
  const t = res.messages[0]!;
  assert.equal(t.metadata, undefined);
  assert.equal(t.server, "");
  const local = timestampDate(t.localtime!).getTime();
  assert.ok(local >= before - 1 && local <= Date.now() + 1);
  assert.equal(timestampDate(t.remotetime!).getTime(), local);

  const configured = createTimeService({ server: () => "time.example.com", now: () => new Date(1_700_000_000_123) });
  const c = create(TimeResponseSchema, await configured.time!(create(EmptySchema), ctx)).messages[0]!;
  assert.equal(c.server, "time.example.com");
  assert.equal(c.localtime?.seconds, 1_700_000_000n);
  assert.equal(c.localtime?.nanos, 123_000_000);
});

test("timeCheck echoes the requested server", async () => {
  const res = create(
    TimeResponseSchema,
    await createTimeService().timeCheck!(create(TimeRequestSchema, { server: "pool.ntp.org" }), ctx),
  );
  assert.equal(res.messages[0]?.server, "pool.ntp.org");
  assert.ok(res.messages[0]?.localtime && res.messages[0]?.remotetime);
});
