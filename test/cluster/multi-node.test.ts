// Check 1 of the API issue: three node processes, one call fanned out to all of them, one node down, and
// an endpoint list whose first endpoint is dead.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startCluster, type TestCluster } from "./harness.ts";

describe("multi-node API", () => {
  let cluster: TestCluster;
  let a: string;
  let b: string;
  let c: string;
  before(async () => {
    cluster = await startCluster(41, 3);
    [a, b, c] = cluster.nodes.map((n) => n.address) as [string, string, string];
  });
  after(() => cluster?.cleanup());

  it("version -e A -n A,B,C returns three replies, each labelled with its node", async () => {
    const r = await cluster.talosctl(["-e", a, "-n", `${a},${b},${c}`, "version"]);
    assert.equal(r.code, 0, r.stderr);
    for (const n of [a, b, c])
      assert.match(r.stdout, new RegExp(`\\tNODE: +${n.replaceAll(".", "\\.")}\\n\\tTag: +v1\\.6\\.7`));
    assert.equal(r.stdout.match(/NODE:/g)?.length, 3);
  });

  it("a node that is down gives its error beside the other replies", async () => {
    const down = cluster.nodes[2];
    assert.ok(down !== undefined);
    await cluster.stop(down);
    try {
      const r = await cluster.talosctl(["-e", a, "-n", `${a},${b},${c}`, "version"]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout.match(/NODE:/g)?.length, 2);
      assert.match(r.stdout, new RegExp(`NODE: +${a.replaceAll(".", "\\.")}`));
      assert.match(r.stdout, new RegExp(`NODE: +${b.replaceAll(".", "\\.")}`));
      assert.match(
        r.stderr,
        new RegExp(
          `1 error occurred:\\n\\t\\* ${c.replaceAll(".", "\\.")}: rpc error: code = Unavailable desc = connection error`,
        ),
      );
    } finally {
      await cluster.start(down);
    }
  });

  it("an endpoint list with a dead first endpoint still works", async () => {
    const dead = cluster.nodes[0];
    assert.ok(dead !== undefined);
    await cluster.stop(dead);
    try {
      for (let i = 0; i < 3; i++) {
        const r = await cluster.talosctl(["-e", `${a},${b}`, "-n", b, "version"]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`NODE: +${b.replaceAll(".", "\\.")}`));
      }
    } finally {
      await cluster.start(dead);
    }
  });

  it("one-to-one calls through one endpoint reach the named node", async () => {
    const r = await cluster.talosctl(["-e", a, "-n", c, "get", "hostname", "-o", "jsonpath={.spec.hostname}"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `talos-${c.replaceAll(".", "-")}`);
  });

  it("COSI calls are never fanned out", async () => {
    const r = await cluster.talosctl(["-e", a, "-n", `${a},${b}`, "get", "hostname", "--namespace", "network"]);
    // talosctl get addresses nodes one at a time, so this works; the raw fan-out is refused (role tests).
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split("\n").length, 3);
  });
});
