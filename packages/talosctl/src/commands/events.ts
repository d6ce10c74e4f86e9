import { type DescMessage, fromBinary, type MessageShape } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import {
  AddressEventSchema,
  ConfigLoadErrorEventSchema,
  ConfigValidationErrorEventSchema,
  type Event,
  MachineService,
  MachineStatusEvent_MachineStage,
  MachineStatusEventSchema,
  PhaseEvent_Action,
  PhaseEventSchema,
  SequenceEvent_Action,
  SequenceEventSchema,
  ServiceStateEvent_Action,
  ServiceStateEventSchema,
  TaskEvent_Action,
  TaskEventSchema,
} from "@talos/machinery/api";
import { Command } from "commander";
import { enumName, goStringSlice } from "../output/go-format.ts";
import { endpointHost, requireNodes } from "../transport/node-replies.ts";
import { finishStream, readNodeStream } from "../transport/node-streams.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { formatTable } from "../util/tab-writer.ts";
import { parseGoDurationMs, parseInt32 } from "./flag-values.ts";

interface EventsFlags {
  readonly tail: number;
  readonly duration?: number;
  readonly since?: string;
  readonly actorId?: string;
}

/** The prefix of the `google.protobuf.Any` type URLs of machine events. */
const TYPE_URL_PREFIX = "talos/runtime/";

function decode<D extends DescMessage>(schema: D, value: Uint8Array): MessageShape<D> {
  return fromBinary(schema, value);
}

/**
 * The SOURCE and MESSAGE columns of an event payload, as talosctl words them; undefined for payloads it
 * does not show (client.UnmarshalEvent's EventNotSupportedError, e.g. the initial empty event).
 */
export function describeEventPayload(typeUrl: string, value: Uint8Array): [string, string] | undefined {
  if (!typeUrl.startsWith(TYPE_URL_PREFIX)) return undefined;
  switch (typeUrl.slice(TYPE_URL_PREFIX.length)) {
    case "machine.SequenceEvent": {
      const m = decode(SequenceEventSchema, value);
      return [
        m.sequence,
        m.error !== undefined ? `error: ${m.error.message}` : enumName(SequenceEvent_Action, m.action),
      ];
    }
    case "machine.PhaseEvent": {
      const m = decode(PhaseEventSchema, value);
      return [m.phase, enumName(PhaseEvent_Action, m.action)];
    }
    case "machine.TaskEvent": {
      const m = decode(TaskEventSchema, value);
      return [m.task, enumName(TaskEvent_Action, m.action)];
    }
    case "machine.ServiceStateEvent": {
      const m = decode(ServiceStateEventSchema, value);
      return [m.service, `${enumName(ServiceStateEvent_Action, m.action)}: ${m.message}`];
    }
    case "machine.ConfigLoadErrorEvent":
      return ["error", decode(ConfigLoadErrorEventSchema, value).error];
    case "machine.ConfigValidationErrorEvent":
      return ["error", decode(ConfigValidationErrorEventSchema, value).error];
    case "machine.AddressEvent": {
      const m = decode(AddressEventSchema, value);
      return [m.hostname, `ADDRESSES: ${m.addresses.join(",")}`];
    }
    case "machine.MachineStatusEvent": {
      const m = decode(MachineStatusEventSchema, value);
      const unmet = (m.status?.unmetConditions ?? []).map((c) => c.name);
      return [
        enumName(MachineStatusEvent_MachineStage, m.stage),
        `ready: ${m.status?.ready === true}, unmet conditions: ${goStringSlice(unmet)}`,
      ];
    }
    default:
      return undefined;
  }
}

/**
 * The two table lines talosctl prints per event (`NODE ID EVENT` then `ACTOR SOURCE MESSAGE`, aligned
 * under the same columns), or undefined for events it skips.
 */
export function eventRows(ev: Event): string[][] | undefined {
  const data = ev.data;
  if (data === undefined) return undefined;
  const described = describeEventPayload(data.typeUrl, data.value);
  if (described === undefined) return undefined;
  const node = ev.metadata?.hostname ?? "";
  return [
    [node, ev.id, data.typeUrl],
    [ev.actorId, described[0], described[1]],
  ];
}

const HEADER = ["NODE", "ID", "EVENT", "ACTOR", "SOURCE", "MESSAGE"];

/** `talosctl events`: the machine event stream of the nodes, printed as events arrive. */
export function registerEvents(root: Command): void {
  root.addCommand(
    new Command("events")
      .description("Stream runtime events")
      .option(
        "--tail <int32>",
        "show specified number of past events (use -1 to show full history, default is to show no history)",
        parseInt32,
        0,
      )
      .option(
        "--duration <duration>",
        "show events for the past duration interval (one second resolution, default is to show no history)",
        parseGoDurationMs,
      )
      .option("--since <id>", "show events after the specified event ID (default is to show no history)")
      .option("--actor-id <id>", "filter events by the specified actor ID (default is no filter)")
      .action(async (flags: EventsFlags, cmd: Command) => {
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        const client = createClient(MachineService, conn.transport);
        const stream = client.events(
          {
            tailEvents: flags.tail,
            tailSeconds: Math.trunc((flags.duration ?? 0) / 1000),
            tailId: flags.since ?? "",
            withActorId: flags.actorId ?? "",
          },
          { headers: nodesHeaders(conn, nodes) },
        );
        // talosctl flushes its tabwriter after each event: the header is aligned with the first event only.
        let headerPending = true;
        const errors = await readNodeStream(stream, endpointHost(conn), (ev) => {
          const rows = eventRows(ev);
          if (rows === undefined) return;
          const text = formatTable(headerPending ? [HEADER, ...rows] : rows);
          headerPending = false;
          process.stdout.write(text);
        });
        finishStream(errors);
      }),
  );
}
