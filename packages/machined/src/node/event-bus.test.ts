import assert from "node:assert/strict";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { ServiceStateEventSchema } from "@talos/machinery/api";
import { EventBus, newXid } from "./event-bus.ts";

test("xids are 20 base32hex characters and unique", () => {
  const a = newXid();
  assert.match(a, /^[0-9a-v]{20}$/);
  assert.notEqual(a, newXid());
});

test("subscribers get the requested history, then live events", async () => {
  const bus = new EventBus();
  for (let i = 0; i < 5; i++)
    bus.publish(ServiceStateEventSchema, create(ServiceStateEventSchema, { service: `s${i}` }));
  const abort = new AbortController();
  const got: string[] = [];
  const reading = (async () => {
    for await (const e of bus.subscribe({ tailEvents: 2 }, abort.signal)) {
      got.push(e.typeName);
      if (got.length === 3) abort.abort();
    }
  })();
  await new Promise((r) => setTimeout(r, 10));
  bus.publish(ServiceStateEventSchema, create(ServiceStateEventSchema, { service: "live" }));
  await reading;
  assert.deepEqual(got, ["machine.ServiceStateEvent", "machine.ServiceStateEvent", "machine.ServiceStateEvent"]);
});
