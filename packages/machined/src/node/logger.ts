import type { LogFields, Logger } from "@talos/runtime";
import type { LogSink } from "../supervisor/index.ts";

/** A logger that writes JSON lines to a log buffer as well as to the given logger. */
export function bufferedLogger(inner: Logger, sink: LogSink): Logger {
  const log = (level: "debug" | "info" | "warn" | "error") => (msg: string, fields?: LogFields) => {
    inner[level](msg, fields);
    if (level !== "debug") sink.write(`${JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
