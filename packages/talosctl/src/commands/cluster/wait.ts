// Waiting for a new cluster: the node API up, bootstrap accepted, then the checks Talos's `health` starts
// with (etcd healthy and consistent, apid ready, every node booted), printed as they pass.
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { cosi, MachineService } from "@talos/machinery/api";
import { parse } from "yaml";

export interface ClusterNodes {
  readonly controlPlanes: readonly string[];
  readonly workers: readonly string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(deadline: number, what: string, fn: () => Promise<T | undefined>): Promise<T> {
  let last = "";
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e instanceof ConnectError ? e.rawMessage : (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last !== "" ? `: ${last}` : ""}`);
    await sleep(500);
  }
}

/** Polls Version on the node, then calls Bootstrap, retrying while the node is not ready for it. */
export async function bootstrapWhenReady(transport: Transport, node: string, deadline: number): Promise<void> {
  const machine = createClient(MachineService, transport);
  const headers = { node };
  await until(deadline, `the API of ${node}`, async () =>
    (await machine.version({}, { headers, timeoutMs: 5000 })) ? true : undefined,
  );
  await until(deadline, `bootstrap of ${node}`, async () => {
    try {
      await machine.bootstrap({}, { headers, timeoutMs: 10_000 });
      return true;
    } catch (e) {
      if (e instanceof ConnectError && e.code === Code.AlreadyExists) return true;
      throw e;
    }
  });
}

async function getYaml(transport: Transport, node: string, namespace: string, type: string, id: string) {
  const state = createClient(cosi.State, transport);
  const r = await state.get({ namespace, type, id }, { headers: { node }, timeoutMs: 5000 });
  return parse(r.resource?.spec?.yamlSpec ?? "null");
}

/** Runs the health checks that apply before Kubernetes, printing Talos-style progress lines. */
export async function waitForHealthy(
  transport: Transport,
  nodes: ClusterNodes,
  deadline: number,
  progress: (line: string) => void,
): Promise<void> {
  const machine = createClient(MachineService, transport);
  const all = [...nodes.controlPlanes, ...nodes.workers];
  const check = async (description: string, fn: () => Promise<true | undefined>) => {
    progress(`waiting for ${description}: ...`);
    await until(deadline, description, fn);
    progress(`waiting for ${description}: OK`);
  };
  await check("etcd to be healthy", async () => {
    for (const node of nodes.controlPlanes) {
      const r = await machine.etcdStatus({}, { headers: { node }, timeoutMs: 5000 });
      const s = r.messages[0]?.memberStatus;
      if (s === undefined || s.leader === 0n || s.errors.length > 0) return undefined;
    }
    return true;
  });
  await check("etcd members to be consistent across nodes", async () => {
    const views = await Promise.all(
      nodes.controlPlanes.map(async (node) => {
        const r = await machine.etcdMemberList({ queryLocal: true }, { headers: { node }, timeoutMs: 5000 });
        return (r.messages[0]?.members ?? [])
          .map((m) => `${m.id}:${m.isLearner}`)
          .sort()
          .join(",");
      }),
    );
    return views.every((v) => v === views[0]) ? true : undefined;
  });
  await check("etcd members to be control plane nodes", async () => {
    const r = await machine.etcdMemberList(
      { queryLocal: true },
      { headers: { node: nodes.controlPlanes[0] ?? "" }, timeoutMs: 5000 },
    );
    const members = r.messages[0]?.members ?? [];
    const urls = members.flatMap((m) => m.peerUrls.map((u) => new URL(u).hostname));
    const voting = members.filter((m) => !m.isLearner).length;
    return voting === nodes.controlPlanes.length && nodes.controlPlanes.every((cp) => urls.includes(cp))
      ? true
      : undefined;
  });
  await check("apid to be ready", async () => {
    for (const node of all) await machine.version({}, { headers: { node }, timeoutMs: 5000 });
    return true;
  });
  await check("all nodes to finish boot sequence", async () => {
    for (const node of all) {
      const status = (await getYaml(transport, node, "runtime", "MachineStatuses.runtime.talos.dev", "machine")) as {
        stage?: string;
        status?: { ready?: boolean };
      };
      if (status?.stage !== "running" || status.status?.ready !== true) return undefined;
    }
    return true;
  });
}
