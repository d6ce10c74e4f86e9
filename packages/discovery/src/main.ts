#!/usr/bin/env node
// discovery-service [--addr HOST:PORT] [--gc-interval DURATION]: an offline discovery service for a
// local cluster. Talos nodes point `cluster.discovery.registries.service.endpoint` at http://HOST:PORT/.
import { parseArgs } from "node:util";
import { startDiscoveryServer } from "./server.ts";

function fail(message: string): never {
  process.stderr.write(`discovery-service: ${message}\n`);
  process.exit(1);
}

function parseDuration(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value);
  if (m === null) fail(`--${flag}: expected a duration like 500ms, 1s or 1m, got "${value}"`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as "ms" | "s" | "m"];
}

const { values } = (() => {
  try {
    return parseArgs({
      options: { addr: { type: "string", default: "0.0.0.0:3000" }, "gc-interval": { type: "string", default: "1s" } },
    });
  } catch (err) {
    return fail((err as Error).message);
  }
})();
const addr = /^(.*):(\d+)$/.exec(values.addr);
if (addr === null) fail(`--addr: expected HOST:PORT, got "${values.addr}"`);
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const server = await startDiscoveryServer({
  host: addr[1]!.replace(/^\[(.*)\]$/, "$1"),
  port: Number(addr[2]),
  gcIntervalMs: parseDuration("gc-interval", values["gc-interval"]),
  log,
}).catch((err: Error) => fail(`listening on ${values.addr}: ${err.message}`));
log(`discovery service listening on ${server.address.host}:${server.address.port}`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
