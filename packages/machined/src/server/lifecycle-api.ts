// machine.MachineService: reboot, shutdown, reset, upgrade and rollback, for a node that is a process or a
// container. Each call answers at once with an actor ID and acts in the background, as Talos does.
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type MachineService,
  RebootResponseSchema,
  ResetResponseSchema,
  ShutdownResponseSchema,
  ResetRequest_WipeMode as WipeMode,
} from "@talos/machinery/api";
import type { Logger } from "@talos/runtime";
import { NODE_IDENTITY_FILE } from "../controllers/node-identity.ts";
import { STATE_CONFIG_FILE } from "../node/state-dir.ts";

export interface LifecycleDeps {
  readonly stateDir: string;
  readonly varDir: string;
  readonly logger: Logger;
  /** Restarts the node with the config in STATE (maintenance mode when there is none). */
  reboot(): void;
  /** Stops every service and ends the node. */
  shutdown(): void;
  /** Leaves the etcd cluster (control planes with a running member); resolves when done. */
  leaveEtcd?(): Promise<void>;
  /** Removes this node from the discovery service (Talos does it before any reset). */
  leaveDiscovery?(): Promise<void>;
}

/** The STATE and EPHEMERAL partitions a node running as a process or container has: directories. */
const SYSTEM_LABELS = ["STATE", "EPHEMERAL"];

const later = (fn: () => void | Promise<void>, logger: Logger) =>
  setTimeout(() => {
    Promise.resolve(fn()).catch((e: unknown) => logger.error("lifecycle action failed", { error: String(e) }));
  }, 100).unref();

export function createLifecycleApi(deps: LifecycleDeps): Partial<ServiceImpl<typeof MachineService>> {
  return {
    async reboot() {
      const actorId = randomUUID();
      deps.logger.info("reboot requested", { actorId });
      later(() => deps.reboot(), deps.logger);
      return create(RebootResponseSchema, { messages: [{ actorId }] });
    },
    async shutdown() {
      const actorId = randomUUID();
      deps.logger.info("shutdown requested", { actorId });
      later(() => deps.shutdown(), deps.logger);
      return create(ShutdownResponseSchema, { messages: [{ actorId }] });
    },
    async reset(req) {
      if (req.mode === WipeMode.SYSTEM_DISK && req.userDisksToWipe.length > 0) {
        throw new ConnectError("user disks can't be wiped in SYSTEM_DISK mode", Code.InvalidArgument);
      }
      if (req.mode === WipeMode.USER_DISKS && req.systemPartitionsToWipe.length > 0) {
        throw new ConnectError("system partitions can't be wiped in USER_DISKS mode", Code.InvalidArgument);
      }
      if (req.userDisksToWipe.length > 0) {
        throw new ConnectError(
          "a node running as a process or container has no user disks to wipe",
          Code.Unimplemented,
        );
      }
      for (const p of req.systemPartitionsToWipe) {
        if (!SYSTEM_LABELS.includes(p.label)) {
          throw new ConnectError(
            `unknown system partition label ${JSON.stringify(p.label)}, expected STATE or EPHEMERAL`,
            Code.InvalidArgument,
          );
        }
      }
      const labels =
        req.systemPartitionsToWipe.length > 0
          ? req.systemPartitionsToWipe.filter((p) => p.wipe).map((p) => p.label)
          : SYSTEM_LABELS;
      const actorId = randomUUID();
      deps.logger.info("reset requested", {
        actorId,
        graceful: req.graceful,
        reboot: req.reboot,
        wipe: labels.join(","),
      });
      later(async () => {
        await deps.leaveDiscovery?.().catch((e: unknown) => {
          deps.logger.warn("removing this node from the discovery service failed", { error: String(e) });
        });
        if (req.graceful && deps.leaveEtcd !== undefined) await deps.leaveEtcd();
        if (labels.includes("STATE")) {
          await rm(join(deps.stateDir, STATE_CONFIG_FILE), { force: true });
          await rm(join(deps.stateDir, NODE_IDENTITY_FILE), { force: true });
        }
        if (labels.includes("EPHEMERAL")) await rm(deps.varDir, { recursive: true, force: true });
        if (req.reboot) deps.reboot();
        else deps.shutdown();
      }, deps.logger);
      return create(ResetResponseSchema, { messages: [{ actorId }] });
    },
    async upgrade() {
      throw new ConnectError(
        "upgrade is not supported for nodes running as containers or processes: replace the node image instead",
        Code.FailedPrecondition,
      );
    },
    async rollback() {
      throw new ConnectError(
        "rollback is not supported for nodes running as containers or processes",
        Code.FailedPrecondition,
      );
    },
  };
}
