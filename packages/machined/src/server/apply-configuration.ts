// machine.MachineService/ApplyConfiguration on a configured node: validate first, then apply live,
// stage, try with rollback, or persist and reboot, as the mode says (AUTO picks live when it can).
import { create } from "@bufbuild/protobuf";
import { durationMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type ApplyConfigurationRequest,
  type ApplyConfigurationResponse,
  ApplyConfigurationResponseSchema,
  ApplyConfigurationRequest_Mode as Mode,
} from "@talos/machinery/api";
import { changesNeedingReboot, formatIssue, type ValidationMode, validateConfig } from "@talos/machinery/config";
import { createTwoFilesPatch } from "diff";
import type { ConfigStore } from "../node/config-store.ts";
import { type NodeConfig, readNodeConfig } from "../node/machine-config.ts";

const DEFAULT_TRY_TIMEOUT_MS = 60_000;

export interface ApplyDeps {
  readonly store: ConfigStore;
  readonly mode: ValidationMode;
  /** Restarts the node with the persisted config. */
  reboot(): void;
}

const MODE_NAMES: Record<number, string> = {
  [Mode.REBOOT]: "reboot",
  [Mode.AUTO]: "auto",
  [Mode.NO_REBOOT]: "no_reboot",
  [Mode.STAGED]: "staged",
  [Mode.TRY]: "try",
};

export function createApplyConfiguration(deps: ApplyDeps) {
  let rollback: NodeJS.Timeout | undefined;

  return async function applyConfiguration(req: ApplyConfigurationRequest): Promise<ApplyConfigurationResponse> {
    const text = new TextDecoder().decode(req.data);
    let next: NodeConfig;
    try {
      next = readNodeConfig(text, "config");
    } catch (e) {
      throw new ConnectError(`failed to parse config: ${(e as Error).message}`, Code.InvalidArgument);
    }
    const result = validateConfig(next.config, { mode: deps.mode });
    if (result.errors.length > 0) {
      throw new ConnectError(
        `configuration validation failed: ${result.errors.length} error(s) occurred:\n${result.errors.map((i) => `\t${formatIssue(i)}`).join("\n")}`,
        Code.InvalidArgument,
      );
    }
    const warnings = result.warnings.map(formatIssue);
    const current = deps.store.active;
    const needsReboot = changesNeedingReboot(current.config, next.config);
    let mode = req.mode;
    if (mode === Mode.AUTO) mode = needsReboot.length > 0 ? Mode.REBOOT : Mode.NO_REBOOT;
    if ((mode === Mode.NO_REBOOT || mode === Mode.TRY) && needsReboot.length > 0) {
      throw new ConnectError(
        `apply configuration with mode ${MODE_NAMES[req.mode]} failed: the following fields require a reboot: ${needsReboot.join(", ")}`,
        Code.InvalidArgument,
      );
    }
    const reply = (details: string) =>
      create(ApplyConfigurationResponseSchema, { messages: [{ warnings, mode, modeDetails: details }] });

    if (req.dryRun) {
      const diff = createTwoFilesPatch("current", "new", current.text, next.text, undefined, undefined, { context: 3 })
        .split("\n")
        .filter((line) => !line.startsWith("====="))
        .join("\n");
      return reply(`Dry run summary:\n${describe(mode, 0)} (dry run)\n\nConfig diff:\n\n${diff}`);
    }
    // Any apply except a new trial ends a pending trial's rollback.
    if (mode !== Mode.TRY && rollback !== undefined) {
      clearTimeout(rollback);
      rollback = undefined;
    }
    switch (mode) {
      case Mode.REBOOT:
        await deps.store.persist(next);
        setTimeout(() => deps.reboot(), 100).unref();
        return reply(describe(mode, 0));
      case Mode.STAGED:
        await deps.store.persist(next);
        return reply(describe(mode, 0));
      case Mode.TRY: {
        const timeoutMs = req.tryModeTimeout !== undefined ? durationMs(req.tryModeTimeout) : DEFAULT_TRY_TIMEOUT_MS;
        await deps.store.activate(next);
        if (rollback !== undefined) clearTimeout(rollback);
        rollback = setTimeout(() => {
          rollback = undefined;
          deps.store
            .persisted()
            .then((persisted) => deps.store.activate(persisted))
            .catch(() => {});
        }, timeoutMs);
        rollback.unref();
        return reply(describe(mode, timeoutMs));
      }
      default:
        await deps.store.persist(next);
        await deps.store.activate(next);
        return reply(describe(Mode.NO_REBOOT, 0));
    }
  };
}

function describe(mode: Mode, timeoutMs: number): string {
  switch (mode) {
    case Mode.REBOOT:
      return "Applied configuration with a reboot";
    case Mode.STAGED:
      return "Staged configuration to be applied after a reboot";
    case Mode.TRY:
      return `Applied configuration in a try mode, it will be rolled back in ${goDuration(timeoutMs)} unless confirmed`;
    default:
      return "Applied configuration without a reboot";
  }
}

/** A duration as Go prints it (`1m0s`, `30s`). */
function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${s % 60}s` : `${s}s`;
}
