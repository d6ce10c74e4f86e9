// Small helpers the benchmarks share: is a port open, and a process's memory from /proc.
import { readFileSync } from "node:fs";
import { connect } from "node:net";

/** Whether something accepts TCP connections on host:port right now. */
export function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host, port }, () => {
      s.destroy();
      res(true);
    });
    s.on("error", () => res(false));
  });
}

/** A /proc/<pid>/status memory field (VmRSS, RssAnon, VmHWM, ...) in MiB. */
export function statusMiB(pid: number, field: string): number {
  const line =
    readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${field}:`)) ?? "";
  return Number(line.replace(/\D+/g, "")) / 1024;
}
