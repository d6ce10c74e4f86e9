// machine.MachineService: services, logs, dmesg and events.
import { constants } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import {
  DataSchema,
  EventSchema,
  type EventsRequest,
  type LogsRequest,
  type MachineService,
  ServiceListResponseSchema,
  ServiceRestartResponseSchema,
  ServiceStartResponseSchema,
  ServiceStopResponseSchema,
} from "@talos/machinery/api";
import type { EventBus } from "../node/event-bus.ts";
import { ApiNotAllowedError, type ServiceInfo, type Supervisor, serviceStateName } from "../supervisor/index.ts";

function toServiceInfo(s: ServiceInfo) {
  return {
    id: s.id,
    state: s.stateName,
    events: {
      events: s.events.map((e) => ({ msg: e.msg, state: serviceStateName(e.state), ts: timestampFromDate(e.ts) })),
    },
    health: {
      unknown: s.health.unknown,
      healthy: s.health.healthy,
      lastMessage: s.health.lastMessage,
      ...(s.health.lastChange !== null ? { lastChange: timestampFromDate(s.health.lastChange) } : {}),
    },
  };
}

function apiError(e: unknown): never {
  if (e instanceof ApiNotAllowedError) throw new ConnectError(e.message, Code.FailedPrecondition);
  if (e instanceof Error && /not defined/.test(e.message)) throw new ConnectError(e.message, Code.NotFound);
  throw e;
}

export function createServicesApi(
  supervisor: Supervisor,
  events: EventBus,
): Partial<ServiceImpl<typeof MachineService>> {
  return {
    async serviceList() {
      return create(ServiceListResponseSchema, { messages: [{ services: supervisor.list().map(toServiceInfo) }] });
    },
    async serviceStart(req) {
      try {
        supervisor.apiStart(req.id);
      } catch (e) {
        apiError(e);
      }
      return create(ServiceStartResponseSchema, { messages: [{ resp: `Service "${req.id}" started` }] });
    },
    async serviceStop(req, ctx) {
      try {
        await supervisor.apiStop(req.id, ctx.signal);
      } catch (e) {
        apiError(e);
      }
      return create(ServiceStopResponseSchema, { messages: [{ resp: `Service "${req.id}" stopped` }] });
    },
    async serviceRestart(req, ctx) {
      try {
        await supervisor.apiRestart(req.id, ctx.signal);
      } catch (e) {
        apiError(e);
      }
      return create(ServiceRestartResponseSchema, { messages: [{ resp: `Service "${req.id}" restarted` }] });
    },
    logs: (req, ctx) => logs(supervisor, req, ctx),
    dmesg: (req, ctx) => dmesg(req.follow, req.tail, ctx),
    events: (req, ctx) => eventStream(events, req, ctx),
  };
}

async function* logs(supervisor: Supervisor, req: LogsRequest, ctx: HandlerContext) {
  if (req.namespace !== "system" && req.id !== "kubelet") {
    throw new ConnectError(
      `container logs of namespace ${JSON.stringify(req.namespace)} need the CRI, which this node does not run yet`,
      Code.Unimplemented,
    );
  }
  if (!supervisor.logs.has(req.id)) throw new ConnectError(`log "${req.id}" was not registered`, Code.NotFound);
  const buffer = supervisor.logs.get(req.id);
  const tail = req.tailLines < 0 ? -1 : req.tailLines;
  if (!req.follow) {
    const text = buffer.read({ tail });
    if (text.length > 0) yield create(DataSchema, { bytes: text });
    return;
  }
  for await (const chunk of buffer.follow({ tail, signal: ctx.signal })) yield create(DataSchema, { bytes: chunk });
}

const FACILITIES = [
  "kern",
  "user",
  "mail",
  "daemon",
  "auth",
  "syslog",
  "lpr",
  "news",
  "uucp",
  "cron",
  "authpriv",
  "ftp",
];
const PRIORITIES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

/** One /dev/kmsg record (`prio,seq,usec,flags;text`) rendered as Talos's dmesg line. */
export function renderKmsgRecord(record: string, bootTimeMs: number): string {
  const semi = record.indexOf(";");
  const [prio = "0", , usec = "0"] = record.slice(0, semi).split(",");
  const text = (record.slice(semi + 1).split("\n")[0] ?? "").trimEnd();
  const p = Number(prio);
  const ts = new Date(bootTimeMs + Number(usec) / 1000);
  return `${FACILITIES[p >> 3] ?? "kern"}: ${(PRIORITIES[p & 7] ?? "info").padStart(7)}: [${ts.toISOString()}]: ${text}\n`;
}

/** Kernel messages from /dev/kmsg, one per item; `follow` keeps streaming, `tail` skips older ones. */
async function* dmesg(follow: boolean, tail: boolean, ctx: HandlerContext) {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open("/dev/kmsg", constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new ConnectError(`cannot read the kernel log: ${(e as Error).message}`, Code.Unavailable);
  }
  const uptime = Number((await readFile("/proc/uptime", "utf8")).split(" ")[0]);
  const bootTime = Date.now() - uptime * 1000;
  const startedAt = Date.now();
  const buf = Buffer.alloc(8192);
  try {
    while (!ctx.signal.aborted) {
      let n = 0;
      try {
        ({ bytesRead: n } = await handle.read(buf, 0, buf.length, null));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EPIPE") continue; // records overwritten while we read: skip ahead
        if (code !== "EAGAIN") throw e;
        if (!follow) return; // caught up
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      const line = renderKmsgRecord(buf.toString("utf8", 0, n), bootTime);
      const at = Date.parse(line.slice(line.indexOf("[") + 1, line.indexOf("]")));
      if (tail && at < startedAt) continue;
      yield create(DataSchema, { bytes: new TextEncoder().encode(line) });
    }
  } finally {
    await handle.close();
  }
}

async function* eventStream(bus: EventBus, req: EventsRequest, ctx: HandlerContext) {
  // The stream opens with an empty "hello" event.
  yield create(EventSchema, {});
  for await (const e of bus.subscribe(
    { tailEvents: req.tailEvents, tailId: req.tailId, tailSeconds: req.tailSeconds, withActorId: req.withActorId },
    ctx.signal,
  )) {
    yield create(EventSchema, {
      id: e.id,
      actorId: e.actorId,
      data: { typeUrl: `talos/runtime/${e.typeName}`, value: e.payload },
    });
  }
}
