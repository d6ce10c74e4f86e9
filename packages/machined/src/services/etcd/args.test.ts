import assert from "node:assert/strict";
import { test } from "node:test";
import { etcdArgs, initialClusterEntry, peerUrls } from "./args.ts";

const spec = {
  name: "cp1",
  advertised: ["10.5.0.2"],
  listenPeer: ["0.0.0.0"],
  listenClient: ["0.0.0.0"],
  extraArgs: { "election-timeout": "5000", "data-dir": "/elsewhere" },
};

test("etcd flags: fixed ones first, extraArgs cannot override them", () => {
  const args = etcdArgs(
    spec,
    { dataDir: "/var/lib/etcd", pkiDir: "/pki" },
    { state: "new", initialCluster: "cp1=https://10.5.0.2:2380" },
  );
  assert.ok(args.includes("--name=cp1"));
  assert.ok(args.includes("--data-dir=/var/lib/etcd"));
  assert.ok(!args.includes("--data-dir=/elsewhere"));
  assert.ok(args.includes("--election-timeout=5000"));
  assert.ok(args.includes("--advertise-client-urls=https://10.5.0.2:2379"));
  assert.ok(args.includes("--initial-cluster-state=new"));
  assert.ok(args.includes("--client-cert-auth=true"));
});

test("peer URLs and initial cluster entries", () => {
  assert.deepEqual(peerUrls({ ...spec, advertised: ["10.5.0.2", "fd00::1"] }), [
    "https://10.5.0.2:2380",
    "https://[fd00::1]:2380",
  ]);
  assert.equal(initialClusterEntry("cp1", ["https://10.5.0.2:2380"]), "cp1=https://10.5.0.2:2380");
});
