// The local-cluster issue's checks: `talosctl cluster create` with container nodes on the machine's container
// engine (podman here, Docker elsewhere), failover across control planes, the Getting Started flow against
// nodes in maintenance mode, and a destroy that leaves nothing behind.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { stopEngineService } from "@talos/provision";
import { runTalosctl, tempDir } from "../cli/harness.ts";

const run = promisify(execFile);

describe("talosctl cluster create/destroy with container nodes", { timeout: 600_000 }, () => {
  let home: { path: string; cleanup: () => Promise<void> };
  const ctl = (args: string[], env: Record<string, string | undefined> = {}) =>
    runTalosctl(args, { cwd: home.path, env: { HOME: home.path, ...env } });
  const ok = async (args: string[]) => {
    const r = await ctl(args);
    assert.equal(r.code, 0, `talosctl ${args.join(" ")}:\n${r.stderr}`);
    return r;
  };
  const podman = async (args: string[]) =>
    (await run("podman", ["--url", `unix://${join(home.path, ".talos/podman/podman.sock")}`, ...args])).stdout;
  const labelled = async (name: string) => ({
    containers: (
      await podman(["ps", "-a", "--filter", `label=talos.cluster.name=${name}`, "--format", "{{.Names}}"])
    ).trim(),
    networks: (
      await podman(["network", "ls", "--filter", `label=talos.cluster.name=${name}`, "--format", "{{.Name}}"])
    ).trim(),
  });

  before(async () => {
    home = await tempDir("talos-local-cluster-");
    await mkdir(join(home.path, ".talos"), { recursive: true });
  });
  after(async () => {
    for (const name of ["tt-one", "tt-three", "tt-manual"]) await ctl(["cluster", "destroy", "--name", name]);
    await stopEngineService(join(home.path, ".talos"));
    await home.cleanup();
  });

  it("creates a 1+1 cluster that is healthy, refuses a second one of the same name, and destroys it completely", async (t) => {
    t.after(() => ctl(["cluster", "destroy", "--name", "tt-one"]));
    const create = await ok([
      "cluster",
      "create",
      "--name",
      "tt-one",
      "--cidr",
      "10.253.1.0/24",
      "--controlplanes",
      "1",
      "--workers",
      "1",
    ]);
    assert.match(create.stderr, /waiting for etcd to be healthy: OK/);
    assert.match(create.stderr, /waiting for all nodes to finish boot sequence: OK/);
    assert.match(create.stdout, /tt-one-controlplane-1 +controlplane +10\.253\.1\.2/);
    assert.match(create.stdout, /tt-one-worker-1 +worker +10\.253\.1\.3/);

    const members = await ok(["-n", "10.253.1.2", "etcd", "members"]);
    assert.match(members.stdout, /tt-one-controlplane-1 +https:\/\/10\.253\.1\.2:2380/);
    // Every service runs; health checks run periodically, so a just-(re)started one may still show `?`.
    let services = "";
    for (let i = 0; i < 30; i++) {
      services = (await ok(["-n", "10.253.1.2,10.253.1.3", "service"])).stdout;
      if (services.match(/ Running +OK /g)?.length === 6) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(services.match(/ Running +OK /g)?.length, 6, services);
    // The cluster's own discovery service: every node lists both nodes, and health finds them through it.
    let listed = "";
    for (let i = 0; i < 40; i++) {
      listed = (await ok(["-n", "10.253.1.2,10.253.1.3", "get", "members"])).stdout;
      if (listed.trim().split("\n").length === 5) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const node of ["10.253.1.2", "10.253.1.3"]) {
      for (const [host, type] of [
        ["tt-one-controlplane-1", "controlplane"],
        ["tt-one-worker-1", "worker"],
      ]) {
        assert.match(
          listed,
          new RegExp(`^${node.replaceAll(".", "\\.")} +cluster +Member +${host} .* ${host} +${type} `, "m"),
        );
      }
    }
    const health = await ok(["-n", "10.253.1.2", "health", "--wait-timeout", "60s"]);
    assert.match(health.stderr, /discovered nodes: \["10\.253\.1\.2","10\.253\.1\.3"\]/);
    assert.match(health.stderr, /waiting for all nodes to finish boot sequence: OK/);
    assert.match(health.stderr, /waiting for kubelet to be healthy: SKIP/);
    const show = await ok(["cluster", "show", "--name", "tt-one"]);
    assert.match(show.stdout, /tt-one-worker-1 +worker +10\.253\.1\.3/);
    assert.match(show.stdout, /DISCOVERY SERVICE 10\.253\.1\.254 \(running\)/);

    const before = await labelled("tt-one");
    const again = await ctl(["cluster", "create", "--name", "tt-one", "--cidr", "10.253.1.0/24"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /cluster "tt-one" already exists/);
    assert.deepEqual(await labelled("tt-one"), before);

    const volumesBefore = (await podman(["volume", "ls", "-q"])).trim().split("\n").filter(Boolean).length;
    const destroy = await ok(["cluster", "destroy", "--name", "tt-one"]);
    assert.match(destroy.stderr, /destroying discovery service tt-one-discovery-service/);
    assert.match(destroy.stderr, /destroying network tt-one/);
    assert.deepEqual(await labelled("tt-one"), { containers: "", networks: "" });
    const volumesAfter = (await podman(["volume", "ls", "-q"])).trim().split("\n").filter(Boolean).length;
    assert.equal(volumesBefore - volumesAfter, 12, "each node's six anonymous volumes are removed");
    await assert.rejects(access(join(home.path, ".talos/clusters/tt-one")), "the state directory is removed");
  });

  it("3 control planes form a three-member etcd; with one stopped, etcd members answers through another endpoint", async (t) => {
    t.after(() => ctl(["cluster", "destroy", "--name", "tt-three"]));
    await ok([
      "cluster",
      "create",
      "--name",
      "tt-three",
      "--cidr",
      "10.253.2.0/24",
      "--controlplanes",
      "3",
      "--workers",
      "1",
    ]);
    const members = await ok(["-n", "10.253.2.3", "etcd", "members"]);
    assert.equal(members.stdout.trim().split("\n").length, 4, members.stdout);
    assert.doesNotMatch(members.stdout, / true$/m, "no member is left a learner");
    await podman(["stop", "tt-three-controlplane-1"]);
    // health, run by another control plane, names the check that fails and gives up at its timeout.
    const health = await ctl(["-n", "10.253.2.3", "health", "--wait-timeout", "8s"]);
    assert.equal(health.code, 1);
    assert.match(health.stderr, /waiting for etcd to be healthy: 10\.253\.2\.2: /);
    assert.match(health.stderr, /healthcheck error: .*etcd to be healthy: timed out/);
    // The talosconfig lists every control plane; the first (stopped) one is skipped.
    const after = await ok(["-n", "10.253.2.3", "etcd", "members"]);
    assert.equal(after.stdout.trim().split("\n").length, 4, after.stdout);
    await ok(["cluster", "destroy", "--name", "tt-three"]);
  });

  it("the Getting Started flow: maintenance nodes, gen config, apply-config --insecure, bootstrap, kubeconfig", async (t) => {
    t.after(() => ctl(["cluster", "destroy", "--name", "tt-manual"]));
    const create = await ok([
      "cluster",
      "create",
      "--name",
      "tt-manual",
      "--cidr",
      "10.253.3.0/24",
      "--skip-injecting-config",
      "--wait=false",
    ]);
    assert.match(create.stderr, /maintenance mode/);
    const dir = join(home.path, "manual");
    await mkdir(dir);
    const gen = await runTalosctl(["gen", "config", "tt-manual", "https://10.253.3.2:6443"], {
      cwd: dir,
      env: { HOME: home.path },
    });
    assert.equal(gen.code, 0, gen.stderr);
    for (const [ip, file] of [
      ["10.253.3.2", "controlplane.yaml"],
      ["10.253.3.3", "worker.yaml"],
    ] as const) {
      // The node may still be starting: retry the insecure apply for a little while.
      let r = await ctl(["apply-config", "--insecure", "-n", ip, "--file", join(dir, file)]);
      for (let i = 0; i < 20 && r.code !== 0; i++) {
        await new Promise((res) => setTimeout(res, 500));
        r = await ctl(["apply-config", "--insecure", "-n", ip, "--file", join(dir, file)]);
      }
      assert.equal(r.code, 0, r.stderr);
    }
    const tc = ["--talosconfig", join(dir, "talosconfig")];
    await ok([...tc, "config", "endpoint", "10.253.3.2"]);
    await ok([...tc, "config", "node", "10.253.3.2"]);
    let boot = await ctl([...tc, "bootstrap"]);
    for (let i = 0; i < 20 && boot.code !== 0; i++) {
      await new Promise((res) => setTimeout(res, 500));
      boot = await ctl([...tc, "bootstrap"]);
    }
    assert.equal(boot.code, 0, boot.stderr);
    await ok([...tc, "kubeconfig", join(dir, "kubeconfig")]);
    await access(join(dir, "kubeconfig"));
    let healthy = "";
    for (let i = 0; i < 40 && !/etcd +Running +OK/.test(healthy); i++) {
      await new Promise((res) => setTimeout(res, 500));
      healthy = (await ctl([...tc, "service", "etcd"])).stdout + (await ctl([...tc, "service"])).stdout;
    }
    assert.match(healthy, /etcd +Running +OK/);
    await ok(["cluster", "destroy", "--name", "tt-manual"]);
  });

  it("without a container engine, cluster create says what to install and changes nothing", async () => {
    const r = await ctl(["cluster", "create", "--name", "tt-none"], { DOCKER_HOST: "unix:///nonexistent/docker.sock" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /container engine at unix:\/\/\/nonexistent\/docker\.sock.* does not answer/);
    const noEngine = await ctl(["cluster", "create", "--name", "tt-none"], {
      PATH: "/nonexistent",
      DOCKER_HOST: undefined,
    });
    assert.equal(noEngine.code, 1);
    assert.match(noEngine.stderr, /no container engine found: install Docker, or podman/);
  });
});
