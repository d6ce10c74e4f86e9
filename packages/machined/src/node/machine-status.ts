import {
  ETCD_MEMBER_ID,
  etcdMemberKind,
  MACHINE_STATUS_ID,
  type MachineStage,
  type MachineStatusSpec,
  machineStatusKind,
} from "@talos/machinery/resources";
import { isNotFound, newPointer, newResource, type State } from "@talos/runtime";
import type { EtcdManager } from "../services/etcd/manager.ts";
import { ServiceState, type Supervisor } from "../supervisor/index.ts";

async function upsert<Spec>(state: State, ptr: Parameters<State["get"]>[0], spec: Spec): Promise<void> {
  try {
    await state.modify(ptr, (r) => {
      r.spec = spec;
    });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await state.create(newResource(ptr, spec));
  }
}

/** Writes the machine stage (booting, maintenance, ...) with readiness unknown. */
export function setMachineStage(state: State, stage: MachineStage): Promise<void> {
  const spec: MachineStatusSpec = { stage, status: { ready: false, unmetConditions: [] } };
  return upsert(state, newPointer(machineStatusKind.kind, MACHINE_STATUS_ID), spec);
}

/**
 * Keeps MachineStatus (running once every service is up and healthy, with the unmet conditions otherwise)
 * and this node's EtcdMember (its member ID while etcd is healthy) current as services change.
 */
export function trackMachineStatus(state: State, supervisor: Supervisor, etcd: EtcdManager | undefined): () => void {
  let chain = Promise.resolve();
  const update = () => {
    chain = chain
      .then(async () => {
        const unmet = supervisor
          .list()
          .filter((s) => !(s.state === ServiceState.Running && (s.health.unknown || s.health.healthy)))
          .map((s) => ({ name: "services", reason: `service "${s.id}" is ${s.stateName}` }));
        const spec: MachineStatusSpec = {
          stage: "running",
          status: { ready: unmet.length === 0, unmetConditions: unmet.slice(0, 1) },
        };
        await upsert(state, newPointer(machineStatusKind.kind, MACHINE_STATUS_ID), spec);
        const etcdInfo = supervisor.get("etcd");
        if (etcd !== undefined && etcdInfo?.state === ServiceState.Running && etcdInfo.health.healthy) {
          const status = await (await etcd.localClient()).status({ timeoutMs: 3000 });
          await upsert(state, newPointer(etcdMemberKind.kind, ETCD_MEMBER_ID), {
            memberId: status.memberId.toString(16).padStart(16, "0"),
          });
        }
      })
      .catch(() => {});
  };
  update();
  return supervisor.onEvent(update);
}
