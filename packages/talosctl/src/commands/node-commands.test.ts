// Pieces of the node commands that need no server: flag parsing, event payloads, the log line slicer,
// table rows.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  AddressEventSchema,
  ConfigLoadErrorEventSchema,
  PhaseEvent_Action,
  PhaseEventSchema,
  ProcessInfoSchema,
  SequenceEvent_Action,
  SequenceEventSchema,
  ServiceInfoSchema,
  TaskEventSchema,
} from "@talos/machinery/api";
import { membersTable, parseMemberId } from "./etcd.ts";
import { describeEventPayload } from "./events.ts";
import { parseGoDurationMs, parseInt32, waitNotImplementedNote } from "./flag-values.ts";
import { parseListTypes } from "./list.ts";
import { LineSlicer } from "./logs.ts";
import { processCommand } from "./processes.ts";
import { parseWipeMode } from "./reset.ts";
import { serviceDetailRows, serviceRow } from "./service.ts";

describe("flag values", () => {
  it("parses int32 and durations with Go's rules", () => {
    assert.equal(parseInt32("-1"), -1);
    assert.equal(parseInt32("0x10"), 16);
    assert.equal(parseInt32("010"), 8);
    assert.throws(() => parseInt32("ten"), /strconv\.ParseInt: parsing "ten": invalid syntax/);
    assert.throws(() => parseInt32("3000000000"), /value out of range/);
    assert.equal(parseGoDurationMs("1m30s"), 90_000);
    assert.equal(parseGoDurationMs("1.5h"), 5_400_000);
    assert.equal(parseGoDurationMs("250ms"), 250);
    assert.equal(parseGoDurationMs("0"), 0);
    assert.throws(() => parseGoDurationMs("10"), /time: missing unit in duration "10"/);
    assert.throws(() => parseGoDurationMs("3d"), /time: unknown unit "d" in duration "3d"/);
  });

  it("reset's wipe modes and list's types", () => {
    assert.equal(parseWipeMode("user-disks"), 2);
    assert.throws(() => parseWipeMode("foo"), { message: "possible options are: all, system-disk, user-disks" });
    assert.deepEqual(parseListTypes(["fd", "L"]), [0, 1, 2]);
    assert.throws(() => parseListTypes(["q"]), { message: "invalid file type: q" });
  });

  it("the --wait note names each node's actor", () => {
    assert.match(
      waitNotImplementedNote("reboot", [{ node: "10.5.0.2", actorId: "a1" }]),
      /^note: --wait is not implemented yet: the reboot request was accepted, .*\n\t10\.5\.0\.2: actor ID a1\n$/,
    );
  });
});

describe("event payloads", () => {
  const url = (name: string) => `talos/runtime/machine.${name}`;

  it("words each supported event like talosctl and skips the others", () => {
    assert.deepEqual(
      describeEventPayload(
        url("SequenceEvent"),
        toBinary(
          SequenceEventSchema,
          create(SequenceEventSchema, { sequence: "boot", action: SequenceEvent_Action.START }),
        ),
      ),
      ["boot", "START"],
    );
    assert.deepEqual(
      describeEventPayload(
        url("SequenceEvent"),
        toBinary(SequenceEventSchema, create(SequenceEventSchema, { sequence: "boot", error: { message: "boom" } })),
      ),
      ["boot", "error: boom"],
    );
    assert.deepEqual(
      describeEventPayload(
        url("PhaseEvent"),
        toBinary(PhaseEventSchema, create(PhaseEventSchema, { phase: "udevd", action: PhaseEvent_Action.STOP })),
      ),
      ["udevd", "STOP"],
    );
    assert.deepEqual(
      describeEventPayload(
        url("TaskEvent"),
        toBinary(TaskEventSchema, create(TaskEventSchema, { task: "startUdevd" })),
      ),
      ["startUdevd", "START"],
    );
    assert.deepEqual(
      describeEventPayload(
        url("ConfigLoadErrorEvent"),
        toBinary(ConfigLoadErrorEventSchema, create(ConfigLoadErrorEventSchema, { error: "bad" })),
      ),
      ["error", "bad"],
    );
    assert.deepEqual(
      describeEventPayload(
        url("AddressEvent"),
        toBinary(
          AddressEventSchema,
          create(AddressEventSchema, { hostname: "cp1", addresses: ["10.5.0.2", "fd00::2"] }),
        ),
      ),
      ["cp1", "ADDRESSES: 10.5.0.2,fd00::2"],
    );
    assert.equal(describeEventPayload(url("RestartEvent"), new Uint8Array()), undefined);
    assert.equal(describeEventPayload("type.googleapis.com/machine.PhaseEvent", new Uint8Array()), undefined);
  });
});

describe("log lines", () => {
  it("re-splits chunks per node, drops CR, keeps the last partial line and split UTF-8", () => {
    const s = new LineSlicer();
    const enc = new TextEncoder();
    assert.deepEqual(s.push("a", enc.encode("one\r\ntw")), ["one"]);
    assert.deepEqual(s.push("b", enc.encode("x\n")), ["x"]);
    const euro = enc.encode("€\n");
    assert.deepEqual(s.push("a", euro.subarray(0, 1)), []);
    assert.deepEqual(s.push("a", euro.subarray(1)), ["tw€"]);
    assert.deepEqual(s.push("a", enc.encode("tail")), []);
    assert.deepEqual(s.flush(), [{ node: "a", line: "tail" }]);
  });
});

describe("table rows", () => {
  it("service rows without events, and the detail view", () => {
    const bare = create(ServiceInfoSchema, { id: "udevd", state: "Initialized" });
    assert.deepEqual(serviceRow("n", bare, 0), ["n", "udevd", "Initialized", "?", " ago", "<none>"]);
    const svc = create(ServiceInfoSchema, {
      id: "kubelet",
      state: "Failed",
      health: { healthy: false, lastMessage: "unhealthy" },
      events: {
        events: [
          { msg: "one", state: "Running", ts: timestampFromMs(0) },
          { msg: "two", state: "Failed", ts: timestampFromMs(1000) },
        ],
      },
    });
    assert.deepEqual(serviceDetailRows("n", svc, 11_000), [
      ["NODE", "n"],
      ["ID", "kubelet"],
      ["STATE", "Failed"],
      ["HEALTH", "Fail"],
      ["LAST HEALTH MESSAGE", "unhealthy"],
      ["EVENTS", "[Failed]: two (10s ago)"],
      ["", "[Running]: one (11s ago)"],
    ]);
  });

  it("etcd members without node metadata have no NODE column; member IDs parse as hex", () => {
    assert.equal(
      membersTable([{ members: [{ id: 1n, hostname: "h", peerUrls: [], clientUrls: [], isLearner: false }] } as never]),
      "ID                 HOSTNAME   PEER URLS   CLIENT URLS   LEARNER\n0000000000000001   h                                    false\n",
    );
    assert.equal(parseMemberId("3F"), 0x3fn);
    assert.equal(parseMemberId("talos-cp-1"), undefined);
    assert.equal(parseMemberId("12345678901234567"), undefined);
  });

  it("process COMMAND puts the executable's path in place of argv[0]", () => {
    const p = (x: object) => create(ProcessInfoSchema, x);
    assert.equal(processCommand(p({ command: "kthreadd" })), "kthreadd");
    assert.equal(processCommand(p({ executable: "/bin/etcd", args: "etcd --x" })), "/bin/etcd --x");
    assert.equal(processCommand(p({ executable: "/bin/sh", args: "bash -c x" })), "bash -c x");
  });
});
