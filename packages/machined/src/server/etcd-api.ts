// machine.MachineService: bootstrap and the etcd APIs (control planes only), over the local etcd member.
import { createWriteStream } from "node:fs";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
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

export function createEtcdApi(deps: EtcdApiDeps): Partial<ServiceImpl<typeof MachineService>> {
  return {
    async bootstrap(req) {
      const etcd = controlPlaneOnly(deps, "bootstrap");
      if (req.recoverEtcd) {
        throw new ConnectError("bootstrap --recover-from is not supported by this node yet", Code.Unimplemented);
      }
      if (await etcd.hasData()) throw new ConnectError("etcd data directory is not empty", Code.AlreadyExists);
      // Restart the etcd service as the first member of a new cluster (it was waiting to join one).
      etcd.requestBootstrap();
      await deps.supervisor.stop("etcd");
      deps.supervisor.start("etcd");
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
      const out = createWriteStream(etcd.snapshotPath, { mode: 0o600 });
      for await (const r of requests) out.write(r.bytes);
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      return create(EtcdRecoverResponseSchema, { messages: [{}] });
    },
  };
}
