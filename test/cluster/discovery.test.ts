// Check 2 of the operate issue: cluster discovery through a real discovery service process. Every node
// lists every node in `get members`; the service holds only encrypted data; a node that dies leaves the
// list once its (short, for the test) TTL passes, and comes back with the same identity when restarted.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { discovery } from "@talos/machinery/api";
import { parse } from "yaml";
import { repoRoot } from "../cli/harness.ts";
import { startCluster, type TestCluster, until, waitForPort } from "./harness.ts";

const SERVICE = "127.0.52.1";
const PORT = 3000;
const TTL_SECONDS = 4;

describe("cluster discovery", () => {
  let service: ChildProcess;
  let cluster: TestCluster;
  let addresses: string[];

  /** node address → the hostnames in its `get members`. */
  async function membersByNode(): Promise<Map<string, string[]>> {
    const up = cluster.nodes.filter((n) => n.process !== undefined).map((n) => n.address);
    const r = await cluster.talosctl(["-e", up[0]!, "-n", up.join(","), "get", "members"]);
    assert.equal(r.code, 0, r.stderr);
    const byNode = new Map<string, string[]>(up.map((a) => [a, []]));
    for (const line of r.stdout.trim().split("\n").slice(1)) {
      const [node, ns, type, , , hostname] = line.split(/\s+/);
      assert.equal(`${ns} ${type}`, "cluster Member");
      byNode.get(node!)?.push(hostname!);
    }
    for (const list of byNode.values()) list.sort();
    return byNode;
  }

  before(async () => {
    service = spawn(
      process.execPath,
      [join(repoRoot, "dist/discovery-service.mjs"), "--addr", `${SERVICE}:${PORT}`, "--gc-interval", "200ms"],
      { stdio: "ignore" },
    );
    await waitForPort(SERVICE, PORT);
    cluster = await startCluster(52, 2, {
      workers: 1,
      configPatch: JSON.stringify({
        cluster: { discovery: { registries: { service: { endpoint: `http://${SERVICE}:${PORT}/` } } } },
      }),
      machinedArgs: ["--discovery-ttl", `${TTL_SECONDS}s`],
    });
    addresses = cluster.nodes.map((n) => n.address);
  });
  after(async () => {
    await cluster?.cleanup();
    service?.kill("SIGKILL");
  });

  it("every node lists every node as a member", async () => {
    const hostnames = addresses.map((a) => `talos-${a.replaceAll(".", "-")}`).sort();
    await until(
      "members on every node",
      async () => {
        const byNode = await membersByNode();
        for (const [node, list] of byNode) assert.deepEqual(list, hostnames, `members on ${node}`);
        return true;
      },
      30_000,
    );
    const r = await cluster.talosctl(["-e", addresses[0]!, "-n", addresses[0]!, "get", "members", "-o", "yaml"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /machineType: worker/);
    assert.match(r.stdout, /machineType: controlplane/);
    assert.match(r.stdout, /operatingSystem: Talos \(v1\.6\.7\)/);
    assert.match(r.stdout, new RegExp(`- ${addresses[2]!.replaceAll(".", "\\.")}`));
    const affiliates = await cluster.talosctl(["-e", addresses[0]!, "-n", addresses[1]!, "get", "affiliates"]);
    assert.equal(affiliates.stdout.trim().split("\n").length, 4, affiliates.stdout);
    const raw = await cluster.talosctl([
      "-e",
      addresses[0]!,
      "-n",
      addresses[1]!,
      "get",
      "affiliates",
      "--namespace",
      "cluster-raw",
    ]);
    assert.equal(raw.stdout.match(/ service\//g)?.length, 2, raw.stdout);
  });

  it("the service stores three affiliates, encrypted", async () => {
    const client = createClient(
      discovery.server.Cluster,
      createGrpcTransport({ baseUrl: `http://${SERVICE}:${PORT}` }),
    );
    const config = parse(await readFile(join(cluster.dir, "controlplane.yaml"), "utf8")) as { cluster: { id: string } };
    const clusterId = config.cluster.id;
    const list = await client.list({ clusterId });
    assert.equal(list.affiliates.length, 3);
    for (const a of list.affiliates) {
      assert.ok(a.data.length > 28, "nonce + ciphertext + tag");
      assert.ok(!Buffer.from(a.data).includes("talos-127-0-52"), "no hostname in clear");
    }
  });

  it("a node that dies leaves every list after its TTL and returns with the same identity", async () => {
    const worker = cluster.nodes[2]!;
    const before = await cluster.talosctl([
      "-e",
      addresses[0]!,
      "-n",
      worker.address,
      "get",
      "identity",
      "-o",
      "jsonpath={.spec.nodeId}",
    ]);
    const nodeId = before.stdout.trim();
    assert.match(nodeId, /^[0-9A-Za-z]{40,}$/);
    await cluster.stop(worker, "SIGKILL");
    const killedAt = Date.now();
    const workerName = `talos-${worker.address.replaceAll(".", "-")}`;
    await until(
      "the worker gone from the members of both control planes",
      async () => {
        for (const [node, list] of await membersByNode()) assert.ok(!list.includes(workerName), `still on ${node}`);
        return true;
      },
      30_000,
    );
    const gone = Date.now() - killedAt;
    assert.ok(gone >= (TTL_SECONDS * 1000) / 2, `left after ${gone} ms: not before the TTL could pass`);

    await cluster.start(worker);
    await until(
      "the worker back on every node",
      async () => {
        for (const [node, list] of await membersByNode()) assert.ok(list.includes(workerName), `missing on ${node}`);
        return true;
      },
      30_000,
    );
    const again = await cluster.talosctl([
      "-e",
      addresses[0]!,
      "-n",
      worker.address,
      "get",
      "identity",
      "-o",
      "jsonpath={.spec.nodeId}",
    ]);
    assert.equal(again.stdout.trim(), nodeId, "the identity kept in STATE");
  });
});

describe("cluster discovery: reset", () => {
  let service: ChildProcess;
  let cluster: TestCluster;
  const address = "127.0.53.1";

  before(async () => {
    service = spawn(process.execPath, [join(repoRoot, "dist/discovery-service.mjs"), "--addr", `${address}:${PORT}`], {
      stdio: "ignore",
    });
    await waitForPort(address, PORT);
    // Talos's own 30-minute TTL: only the reset's explicit delete can remove the worker quickly.
    cluster = await startCluster(53, 1, {
      workers: 1,
      configPatch: JSON.stringify({
        cluster: { discovery: { registries: { service: { endpoint: `http://${address}:${PORT}/` } } } },
      }),
    });
  });
  after(async () => {
    await cluster?.cleanup();
    service?.kill("SIGKILL");
  });

  it("a reset node deletes its affiliate at once, long before its TTL", async () => {
    const [cp, worker] = cluster.nodes.map((n) => n.address) as [string, string];
    const members = async () => {
      const r = await cluster.talosctl(["-e", cp, "-n", cp, "get", "members", "-o", "jsonpath={.spec.hostname}"]);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim().split("\n").sort();
    };
    const workerName = `talos-${worker.replaceAll(".", "-")}`;
    await until("both members on the control plane", async () => ((await members()).length === 2 ? true : undefined));
    const reset = await cluster.talosctl(["-e", cp, "-n", worker, "reset", "--graceful=false"]);
    assert.equal(reset.code, 0, reset.stderr);
    await until(
      "the reset worker gone from the control plane's members",
      async () => ((await members()).includes(workerName) ? undefined : true),
      15_000,
    );
  });
});
