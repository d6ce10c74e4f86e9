#!/usr/bin/env node
// machined: a Talos node.
//   As a process (development and tests): machined --state-dir DIR --address 127.0.0.2 [--config FILE] [--hostname NAME]
//   As a container (the node image): machined --platform container, with the config in $USERDATA (base64) on
//   first boot, STATE in /system/state, EPHEMERAL in /var, and the address and hostname of the container.
import "./os/light-headers.ts";
import "reflect-metadata";
import { mkdir, readFile } from "node:fs/promises";
import { hostname as osHostname } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { assertValidConfig } from "@talos/machinery/config";
import type { Logger } from "@talos/runtime";
import { containerAddress } from "./node/container-address.ts";
import { readNodeConfig } from "./node/machine-config.ts";
import { startNode } from "./node/node.ts";
import { reboot } from "./node/reboot.ts";
import { hasStateConfig, STATE_CONFIG_FILE } from "./node/state-dir.ts";
import { writeFileAtomic } from "./os/write-file-atomic.ts";

declare const __TALOS_GIT_SHA__: string | undefined;
const SHA = typeof __TALOS_GIT_SHA__ === "string" ? __TALOS_GIT_SHA__ : "undefined";
const USAGE =
  "usage: machined --state-dir DIR --address IP [--config FILE] [--hostname NAME] | machined --platform container";

function jsonLogger(): Logger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields })}\n`);
  return { debug: () => {}, info: log("info"), warn: log("warn"), error: log("error") };
}

/** `--discovery-ttl 10s` → the TTL in ms; a malformed value stops the node with a message naming the flag. */
function discoveryTtl(value: string | undefined): { discoveryTtlMs?: number } {
  if (value === undefined || value === "") return {};
  const m = /^(\d+)(ms|s|m)$/.exec(value);
  const ms = m === null ? 0 : Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as "ms" | "s" | "m"];
  if (!(ms >= 1000 && ms <= 30 * 60_000)) {
    throw new Error(`--discovery-ttl: expected a duration from 1s to 30m (e.g. 10s), got "${value}"`);
  }
  return { discoveryTtlMs: ms };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "state-dir": { type: "string" },
      address: { type: "string" },
      config: { type: "string" },
      hostname: { type: "string" },
      "apid-port": { type: "string" },
      platform: { type: "string" },
      // Short pauses for etcd joins, learner promotion and service restarts (tests only).
      "fast-timing": { type: "boolean", default: false },
      // The affiliate TTL in the discovery service (tests; also $TALOS_DISCOVERY_TTL in a container).
      "discovery-ttl": { type: "string" },
    },
    strict: true,
  });
  // In a container (PLATFORM=container, as Talos's docker provisioner sets it) everything has defaults.
  const inContainer = (values.platform ?? process.env["PLATFORM"]) === "container" && values["state-dir"] === undefined;
  const stateDir = values["state-dir"] ?? (inContainer ? "/system/state" : undefined);
  const address = values.address ?? (inContainer ? containerAddress() : undefined);
  if (stateDir === undefined || address === undefined) throw new Error(USAGE);
  const logger = jsonLogger();
  if (inContainer) {
    // PID 1's child must survive programming errors: log them and keep serving.
    process.on("uncaughtException", (e) => logger.error("uncaught exception", { error: e.stack ?? String(e) }));
    process.on("unhandledRejection", (e) => logger.error("unhandled rejection", { error: String(e) }));
  }

  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  if (!(await hasStateConfig(stateDir))) {
    // First boot: install the given config into STATE, as apply-config would, after validating it.
    const userdata = inContainer ? process.env["USERDATA"] : undefined;
    const source = values.config ?? (userdata !== undefined && userdata !== "" ? "USERDATA" : undefined);
    if (source !== undefined) {
      const text =
        values.config !== undefined
          ? await readFile(values.config, "utf8")
          : Buffer.from(userdata ?? "", "base64").toString("utf8");
      const node = readNodeConfig(text, source);
      assertValidConfig(node.config, { mode: "container" }, source);
      await writeFileAtomic(join(stateDir, STATE_CONFIG_FILE), text, 0o600);
    }
  }
  const node = await startNode({
    stateDir,
    address,
    apidPort: values["apid-port"] !== undefined ? Number(values["apid-port"]) : undefined,
    hostname: values.hostname ?? (inContainer ? osHostname() : `talos-${address.replaceAll(/[.:]/g, "-")}`),
    platform: { name: "container", mode: values.platform === "metal" ? "metal" : "container" },
    sha: SHA,
    logger,
    ...(inContainer ? { varDir: "/var", runDir: "/system/run", secretsDir: "/system/secrets", listenAll: true } : {}),
    timing: {
      ...(values["fast-timing"] === true
        ? { etcdJoinRetryMs: 1000, etcdPromoteRetryMs: 2000, restartDelayMs: 1000 }
        : {}),
      ...discoveryTtl(values["discovery-ttl"] ?? process.env["TALOS_DISCOVERY_TTL"]),
    },
    reboot: () => {
      logger.info("rebooting");
      void node.close().finally(() => reboot());
    },
    shutdown: () => {
      logger.info("shutting down");
      void node.close().finally(() => process.exit(0));
    },
  });
  const stop = async () => {
    logger.info("shutting down");
    await node.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`machined: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
