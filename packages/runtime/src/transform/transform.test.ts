import assert from "node:assert/strict";
import { test } from "node:test";
import { createEngine } from "../engine/engine.ts";
import { newKind, newPointer } from "../resource/pointer.ts";
import { newResource } from "../resource/resource.ts";
import { createInMemoryState } from "../state/inmem/inmem-state.ts";
import { transformController } from "./transform.ts";

interface MachineSpec {
  hostname: string;
  role: "controlplane" | "worker";
}
interface EtcdSpec {
  name: string;
  peers: number;
}

const MACHINES = newKind<MachineSpec>("config", "Machines.test.dev");
const ETCD = newKind<EtcdSpec>("etcd", "EtcdSpecs.test.dev");
const SETTINGS = newKind<{ peers: number }>("config", "Settings.test.dev");

const etcdController = transformController({
  name: "test.EtcdSpecController",
  input: MACHINES,
  output: ETCD,
  newSpec: () => ({ name: "", peers: 0 }),
  map: (m) => (m.spec.role === "controlplane" ? `etcd-${m.metadata.id}` : undefined),
  extraInputs: [{ namespace: SETTINGS.namespace, type: SETTINGS.type, id: "global", kind: "weak" }],
  async transform(m, out, ctx) {
    const settings = await ctx.reader.get(newPointer(SETTINGS, "global")).catch(() => undefined);
    out.spec.name = m.spec.hostname;
    out.spec.peers = settings?.spec.peers ?? 1;
  },
});

test("transformController maps inputs 1:1, follows changes and destroys orphans", async () => {
  const state = createInMemoryState();
  const engine = createEngine({ state, backoff: { initialMs: 1, jitter: 0, maxMs: 1 } });
  engine.register(etcdController);
  const ctl = new AbortController();
  const running = engine.run(ctl.signal);
  const signal = AbortSignal.any([ctl.signal, AbortSignal.timeout(5000)]);
  const machine = (id: string, role: MachineSpec["role"]) =>
    newResource(newPointer(MACHINES, id), { hostname: `host-${id}`, role });
  const etcd = (id: string) => newPointer(ETCD, `etcd-${id}`);

  try {
    await state.create(machine("a", "controlplane"));
    await state.create(machine("w", "worker"));
    const a = await state.watchFor(etcd("a"), (r) => r !== undefined, signal);
    assert.deepEqual(a?.spec, { name: "host-a", peers: 1 });
    assert.equal(a?.metadata.owner, "test.EtcdSpecController");

    await state.create(newResource(newPointer(SETTINGS, "global"), { peers: 3 }));
    await state.watchFor(etcd("a"), (r) => r?.spec.peers === 3, signal);

    await state.modify(newPointer(MACHINES, "a"), (m) => {
      m.spec.hostname = "renamed";
    });
    const renamed = await state.watchFor(etcd("a"), (r) => r?.spec.name === "renamed", signal);
    assert.equal(renamed?.metadata.version, 3);

    await state.create(machine("b", "controlplane"));
    await state.watchFor(etcd("b"), (r) => r !== undefined, signal);
    await state.destroy(newPointer(MACHINES, "a"));
    await state.watchFor(etcd("a"), (r) => r === undefined, signal);

    await state.modify(newPointer(MACHINES, "b"), (m) => {
      m.spec.role = "worker";
    });
    await state.watchFor(etcd("b"), (r) => r === undefined, signal);
    assert.deepEqual(await state.list(ETCD), []);
    assert.equal(engine.status()[0]?.restarts, 0);
  } finally {
    ctl.abort();
    await running;
  }
});

test("an output held by a finalizer is torn down, then destroyed once released", async () => {
  const state = createInMemoryState();
  const engine = createEngine({ state, backoff: { initialMs: 1, jitter: 0, maxMs: 1 } });
  engine.register(etcdController);
  const ctl = new AbortController();
  const running = engine.run(ctl.signal);
  const signal = AbortSignal.any([ctl.signal, AbortSignal.timeout(5000)]);
  const out = newPointer(ETCD, "etcd-a");

  try {
    await state.create(newResource(newPointer(MACHINES, "a"), { hostname: "a", role: "controlplane" }));
    await state.watchFor(out, (r) => r !== undefined, signal);
    await state.addFinalizer(out, ["consumer"]);
    await state.destroy(newPointer(MACHINES, "a"));
    const tearing = await state.watchFor(out, (r) => r?.metadata.phase === "tearingDown", signal);
    assert.deepEqual(tearing?.metadata.finalizers, ["consumer"]);
    await state.removeFinalizer(out, ["consumer"]);
    await state.watchFor(out, (r) => r === undefined, signal);
  } finally {
    ctl.abort();
    await running;
  }
});

test("the transform controller declares a weak input, extra inputs, destroyReady on its output", () => {
  assert.deepEqual(etcdController.inputs, [
    { namespace: "config", type: "Machines.test.dev", kind: "weak" },
    { namespace: "config", type: "Settings.test.dev", id: "global", kind: "weak" },
    { namespace: "etcd", type: "EtcdSpecs.test.dev", kind: "destroyReady" },
  ]);
  assert.deepEqual(etcdController.outputs, [{ type: "EtcdSpecs.test.dev", kind: "exclusive" }]);
});
