// machine.MachineService: bootstrap and the etcd APIs (control planes only), over the local etcd member.
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type BootstrapRequest,
  BootstrapResponseSchema,
  DataSchema,
  EtcdAlarmDisarmResponseSchema,
  EtcdAlarmListResponseSchema,
  EtcdDefragmentResponseSchema,
  EtcdForfeitLeadershipResponseSchema,
  EtcdLeaveClusterResponseSchema,
  EtcdMemberListResponseSchema,
  EtcdRecoverResponseSchema,
  EtcdRemoveMemberByIDResponseSchema,
  EtcdRemoveMemberResponseSchema,
  EtcdStatusResponseSchema,
  type MachineService,
} from "@talos/machinery/api";
import type { EtcdClient } from "../etcd/client.ts";
import { writeStreamAtomic } from "../os/write-stream-atomic.ts";
import type { EtcdManager } from "../services/etcd/manager.ts";
import type { Supervisor } from "../supervisor/index.ts";

export interface EtcdApiDeps {
  /** Undefined on workers. */
  readonly etcd: EtcdManager | undefined;
  readonly supervisor: Supervisor;
}

function controlPlaneOnly(deps: EtcdApiDeps, api: string): EtcdManager {
  if (deps.etcd === undefined)
    throw new ConnectError(`${api} is only available on control plane nodes`, Code.Unimplemented);
  return deps.etcd;
}

async function withClient<T>(deps: EtcdApiDeps, api: string, fn: (c: EtcdClient) => Promise<T>): Promise<T> {
  const client = await controlPlaneOnly(deps, api).localClient();
  return fn(client);
}

/**
 * Restarts the etcd service as the first member of a new cluster (it was waiting to join one), recovering
 * the uploaded snapshot first when asked to.
 */
async function bootstrapEtcd(deps: EtcdApiDeps, etcd: EtcdManager, req: BootstrapRequest): Promise<void> {
  if (await etcd.hasData()) throw new ConnectError("etcd data directory is not empty", Code.AlreadyExists);
  if (req.recoverEtcd && !(await etcd.hasSnapshot())) {
    throw new ConnectError(
      "no etcd snapshot was uploaded to recover from: use `talosctl bootstrap --recover-from <snapshot>`",
      Code.FailedPrecondition,
    );
  }
  await deps.supervisor.stop("etcd");
  if (req.recoverEtcd) {
    // Talos restores in etcd's pre-start step and reports a failure only in the service state; restoring
    // here lets the caller see why (e.g. a data directory copy without --recover-skip-hash-check).
    try {
      await etcd.recover({ skipHashCheck: req.recoverSkipHashCheck });
    } catch (e) {
      deps.supervisor.start("etcd"); // back to waiting to join, as before the call
      throw new ConnectError((e as Error).message, Code.FailedPrecondition);
    }
  }
  etcd.requestBootstrap();
  deps.supervisor.start("etcd");
}

export function createEtcdApi(deps: EtcdApiDeps): Partial<ServiceImpl<typeof MachineService>> {
  let bootstrapping = false;
  return {
    async bootstrap(req) {
      const etcd = controlPlaneOnly(deps, "bootstrap");
      if (bootstrapping) throw new ConnectError("bootstrap is already in progress", Code.FailedPrecondition);
      bootstrapping = true;
      try {
        await bootstrapEtcd(deps, etcd, req);
      } finally {
        bootstrapping = false;
      }
      return create(BootstrapResponseSchema, { messages: [{}] });
    },
    etcdMemberList: async () =>
      withClient(deps, "etcd members", async (c) => {
        const members = await c.memberList({ timeoutMs: 10_000 });
        return create(EtcdMemberListResponseSchema, {
          messages: [
            {
              legacyMembers: members.map((m) => m.name),
              members: members.map((m) => ({
                id: m.id,
                hostname: m.name,
                peerUrls: [...m.peerUrls],
                clientUrls: [...m.clientUrls],
                isLearner: m.isLearner,
              })),
            },
          ],
        });
      }),
    etcdRemoveMemberByID: async (req) =>
      withClient(deps, "etcd remove-member", async (c) => {
        const members = await c.memberList({ timeoutMs: 10_000 });
        if (!members.some((m) => m.id === req.memberId)) {
          throw new ConnectError(`member ${req.memberId.toString(16).padStart(16, "0")} not found`, Code.NotFound);
        }
        await c.memberRemove(req.memberId, { timeoutMs: 10_000 });
        return create(EtcdRemoveMemberByIDResponseSchema, { messages: [{}] });
      }),
    etcdRemoveMember: async (req) =>
      withClient(deps, "etcd remove-member", async (c) => {
        const member = (await c.memberList({ timeoutMs: 10_000 })).find((m) => m.name === req.member);
        if (member === undefined) throw new ConnectError(`etcd member "${req.member}" not found`, Code.NotFound);
        await c.memberRemove(member.id, { timeoutMs: 10_000 });
        return create(EtcdRemoveMemberResponseSchema, { messages: [{}] });
      }),
    etcdLeaveCluster: async () => {
      const etcd = controlPlaneOnly(deps, "etcd leave");
      try {
        await etcd.leave(() => deps.supervisor.stop("etcd"));
      } catch (e) {
        if (e instanceof ConnectError) throw e;
        throw new ConnectError((e as Error).message, Code.FailedPrecondition);
      }
      return create(EtcdLeaveClusterResponseSchema, { messages: [{}] });
    },
    etcdForfeitLeadership: async () =>
      withClient(deps, "etcd forfeit-leadership", async (c) => {
        const status = await c.status({ timeoutMs: 10_000 });
        const members = await c.memberList({ timeoutMs: 10_000 });
        if (members.length < 2) throw new ConnectError("etcd cluster has a single member", Code.FailedPrecondition);
        let member = "";
        if (status.leader === status.memberId) {
          const target = members.find((m) => m.id !== status.memberId && !m.isLearner);
          if (target !== undefined) {
            await c.moveLeader(target.id, { timeoutMs: 30_000 });
            member = target.name;
          }
        }
        return create(EtcdForfeitLeadershipResponseSchema, { messages: [{ member }] });
      }),
    etcdAlarmList: async () =>
      withClient(deps, "etcd alarm list", async (c) =>
        create(EtcdAlarmListResponseSchema, {
          messages: [
            {
              memberAlarms: (await c.alarmList({ timeoutMs: 10_000 })).map((a) => ({
                memberId: a.memberId,
                alarm: a.alarm,
              })),
            },
          ],
        }),
      ),
    etcdAlarmDisarm: async () =>
      withClient(deps, "etcd alarm disarm", async (c) =>
        create(EtcdAlarmDisarmResponseSchema, {
          messages: [
            {
              memberAlarms: (await c.alarmDisarm({ timeoutMs: 10_000 })).map((a) => ({
                memberId: a.memberId,
                alarm: a.alarm,
              })),
            },
          ],
        }),
      ),
    etcdDefragment: async () =>
      withClient(deps, "etcd defrag", async (c) => {
        await c.defragment({ timeoutMs: 60_000 });
        return create(EtcdDefragmentResponseSchema, { messages: [{}] });
      }),
    etcdStatus: async () =>
      withClient(deps, "etcd status", async (c) => {
        const s = await c.status({ timeoutMs: 10_000 });
        return create(EtcdStatusResponseSchema, {
          messages: [
            {
              memberStatus: {
                memberId: s.memberId,
                protocolVersion: s.version,
                dbSize: s.dbSize,
                dbSizeInUse: s.dbSizeInUse,
                leader: s.leader,
                raftIndex: s.raftIndex,
                raftTerm: s.raftTerm,
                raftAppliedIndex: s.raftAppliedIndex,
                errors: [...s.errors],
                isLearner: s.isLearner,
              },
            },
          ],
        });
      }),
    etcdSnapshot: async function* (_req, ctx) {
      const client = await controlPlaneOnly(deps, "etcd snapshot").localClient();
      for await (const chunk of client.snapshot({ signal: ctx.signal })) yield create(DataSchema, { bytes: chunk });
    },
    etcdRecover: async (requests) => {
      const etcd = controlPlaneOnly(deps, "etcd recover");
      await mkdir(dirname(etcd.snapshotPath), { recursive: true });
      // Atomic: an interrupted upload must not leave a truncated snapshot for a later recovering bootstrap.
      await writeStreamAtomic(
        etcd.snapshotPath,
        (async function* () {
          for await (const r of requests) yield r.bytes;
        })(),
      );
      return create(EtcdRecoverResponseSchema, { messages: [{}] });
    },
  };
}
