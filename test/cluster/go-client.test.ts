// Check 5 of the API issue: Talos's own Go client library (pkg/machinery v1.6.7, test/go-client) calls
// Version, lists members and watches the hostname on our nodes: the proof of wire compatibility.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { repoRoot } from "../cli/harness.ts";
import { startCluster, type TestCluster } from "./harness.ts";

const run = promisify(execFile);

describe("Talos's Go client against our nodes", { timeout: 300_000 }, () => {
  let cluster: TestCluster;
  let bin: string;
  let a: string;
  let b: string;
  before(async () => {
    // The first build downloads Talos's Go modules from the proxy (about a minute); later ones are cached.
    const built = await run("bash", [join(repoRoot, "test/go-client/build.sh")], { maxBuffer: 1 << 24 });
    bin = built.stdout.trim().split("\n").at(-1) ?? "";
    cluster = await startCluster(44, 2);
    [a, b] = cluster.nodes.map((n) => n.address) as [string, string];
  });
  after(() => cluster?.cleanup());

  const go = async (args: string[]) => {
    const r = await run(bin, ["-talosconfig", cluster.talosconfig, "-endpoints", a, ...args]);
    return r.stdout
      .trim()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l));
  };

  it("Version, directly and through the endpoint to another node", async () => {
    const [direct] = await go(["-node", a, "version"]);
    assert.equal(direct.tag, "v1.6.7");
    assert.equal(direct.platform, "container");
    const [proxied] = await go(["-node", b, "version"]);
    assert.equal(proxied.tag, "v1.6.7");
  });

  it("lists members, decoding the protobuf specs", async () => {
    const members = await go(["-node", b, "members"]);
    assert.equal(members.length, 1);
    assert.equal(members[0].hostname, `talos-${b.replaceAll(".", "-")}`);
    assert.equal(members[0].machineType, "controlplane");
    assert.deepEqual(members[0].addresses, [b]);
    assert.equal(members[0].operatingSystem, "Talos (v1.6.7)");
  });

  it("watches the hostname: the current one, then a change", async () => {
    const watcher = spawn(
      bin,
      [
        "-talosconfig",
        cluster.talosconfig,
        "-endpoints",
        a,
        "-node",
        a,
        "-events",
        "2",
        "-timeout",
        "30s",
        "watch-hostname",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    watcher.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    watcher.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => watcher.on("exit", resolve));
    while (!out.includes("\n")) await new Promise((r) => setTimeout(r, 20));
    await writeFile(join(cluster.dir, "go.patch"), "machine:\n  network:\n    hostname: go-watched\n");
    const apply = await cluster.talosctl([
      "-e",
      a,
      "-n",
      a,
      "apply-config",
      "-f",
      join(cluster.dir, "controlplane.yaml"),
      "-p",
      `@${join(cluster.dir, "go.patch")}`,
    ]);
    assert.equal(apply.code, 0, apply.stderr);
    assert.equal(await exited, 0, err);
    const events = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      events.map((e) => [e.type, e.hostname]),
      [
        ["Created", `talos-${a.replaceAll(".", "-")}`],
        ["Updated", "go-watched"],
      ],
    );
  });

  it("lists resource definitions", async () => {
    const r = await run(bin, ["-talosconfig", cluster.talosconfig, "-endpoints", a, "-node", a, "rd"]);
    assert.ok(r.stdout.split("\n").includes("members.cluster.talos.dev"));
  });
});
