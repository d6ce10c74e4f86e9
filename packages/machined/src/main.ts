#!/usr/bin/env node
// machined: a Talos node. As a plain process for development and tests:
//   machined --state-dir DIR --address 127.0.0.2 [--config controlplane.yaml] [--hostname NAME]
import "reflect-metadata";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { assertValidConfig } from "@talos/machinery/config";
import type { Logger } from "@talos/runtime";
import { readNodeConfig } from "./node/machine-config.ts";
import { startNode } from "./node/node.ts";
import { reboot } from "./node/reboot.ts";
import { hasStateConfig, STATE_CONFIG_FILE } from "./node/state-dir.ts";
import { writeFileAtomic } from "./os/write-file-atomic.ts";

declare const __TALOS_GIT_SHA__: string | undefined;
const SHA = typeof __TALOS_GIT_SHA__ === "string" ? __TALOS_GIT_SHA__ : "undefined";

function jsonLogger(): Logger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields })}\n`);
  return { debug: () => {}, info: log("info"), warn: log("warn"), error: log("error") };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "state-dir": { type: "string" },
      address: { type: "string" },
      config: { type: "string" },
      hostname: { type: "string" },
      "apid-port": { type: "string" },
      platform: { type: "string", default: "container" },
      // Short pauses for etcd joins, learner promotion and service restarts (tests only).
      "fast-timing": { type: "boolean", default: false },
    },
    strict: true,
  });
  const stateDir = values["state-dir"];
  const address = values.address;
  if (stateDir === undefined || address === undefined) {
    throw new Error("usage: machined --state-dir DIR --address IP [--config FILE] [--hostname NAME]");
  }
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const installed = await hasStateConfig(stateDir);
  if (values.config !== undefined && !installed) {
    // First boot: install the given config into STATE, as apply-config would, after validating it.
    const text = await readFile(values.config, "utf8");
    const node = readNodeConfig(text, values.config);
    assertValidConfig(node.config, { mode: "container" }, values.config);
    await writeFileAtomic(join(stateDir, STATE_CONFIG_FILE), text, 0o600);
  }
  const logger = jsonLogger();
  const node = await startNode({
    stateDir,
    address,
    apidPort: values["apid-port"] !== undefined ? Number(values["apid-port"]) : undefined,
    hostname: values.hostname ?? `talos-${address.replaceAll(/[.:]/g, "-")}`,
    platform: { name: values.platform ?? "container", mode: values.platform === "metal" ? "metal" : "container" },
    sha: SHA,
    logger,
    ...(values["fast-timing"] === true
      ? { timing: { etcdJoinRetryMs: 1000, etcdPromoteRetryMs: 2000, restartDelayMs: 1000 } }
      : {}),
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
