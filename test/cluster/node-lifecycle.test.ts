// The node issue's checks against real processes: maintenance mode and apply-config --insecure, bootstrap of
// a three-member etcd cluster (checked with Debian's etcdctl), supervision of etcd, a worker joining through
// trustd, config validation on apply, kubeconfig and etcd snapshots.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { parse } from "yaml";
import { startCluster, type TestCluster, until } from "./harness.ts";

const run = promisify(execFile);

describe("node lifecycle: maintenance, bootstrap, etcd, trustd, kubeconfig", { timeout: 300_000 }, () => {
  let cluster: TestCluster;
  let cps: string[];
  let worker: string;
  let etcdctlEnv: string[];

  before(async () => {
    cluster = await startCluster(45, 3, { workers: 1, maintenance: true });
    cps = cluster.nodes.filter((n) => n.type === "controlplane").map((n) => n.address);
    worker = cluster.nodes.find((n) => n.type === "worker")?.address ?? "";
  });
  after(() => cluster?.cleanup());

  const ctl = async (args: string[]) => {
    const r = await cluster.talosctl(args);
    return r;
  };
  const ok = async (args: string[]) => {
    const r = await ctl(args);
    assert.equal(r.code, 0, `talosctl ${args.join(" ")}:\n${r.stderr}`);
    return r.stdout;
  };

  it("nodes start in maintenance mode and accept apply-config --insecure", async () => {
    // Before a config, the normal (mTLS) API is not there: only the maintenance API answers.
    const denied = await ctl(["-e", cps[0] ?? "", "-n", cps[0] ?? "", "version"]);
    assert.equal(denied.code, 1);
    for (const node of cluster.nodes) {
      const file = join(cluster.dir, `${node.type}.yaml`);
      const r = await ctl(["apply-config", "--insecure", "-n", node.address, "--file", file]);
      assert.equal(r.code, 0, `${node.address}: ${r.stderr}`);
    }
    for (const cp of cps) {
      await until(`apid on ${cp}`, async () =>
        (await ctl(["-e", cp, "-n", cp, "version"])).code === 0 ? true : undefined,
      );
    }
  });

  it("bootstrap forms a three-member etcd cluster that etcdctl reports healthy; a second bootstrap is refused", async () => {
    await ok(["-e", cps[0] ?? "", "-n", cps[0] ?? "", "bootstrap"]);
    const again = await ctl(["-e", cps[0] ?? "", "-n", cps[0] ?? "", "bootstrap"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /AlreadyExists desc = etcd data directory is not empty/);

    const pki = join(cluster.dir, "node-1", "system", "secrets", "etcd");
    etcdctlEnv = ["--cacert", join(pki, "ca.crt"), "--cert", join(pki, "admin.crt"), "--key", join(pki, "admin.key")];
    const endpoints = cps.map((a) => `https://${a}:2379`).join(",");
    await until(
      "three healthy voting members",
      async () => {
        const members = JSON.parse(
          (
            await run("etcdctl", ["--endpoints", endpoints, ...etcdctlEnv, "member", "list", "-w", "json"], {
              env: { ETCDCTL_API: "3" },
            })
          ).stdout,
        );
        const voting = members.members.filter(
          (m: { isLearner?: boolean; name?: string }) => m.isLearner !== true && m.name,
        );
        return voting.length === 3 ? true : undefined;
      },
      90_000,
    );
    const health = await run("etcdctl", ["--endpoints", endpoints, ...etcdctlEnv, "endpoint", "health"], {
      env: { ETCDCTL_API: "3" },
    });
    assert.equal((health.stdout + health.stderr).match(/is healthy/g)?.length, 3, health.stdout + health.stderr);
  });

  it("etcd members and service etcd agree across the control plane nodes", async () => {
    const members = await ok(["-e", cps[0] ?? "", "-n", cps.join(","), "etcd", "members"]);
    for (const cp of cps) {
      const rows = members.split("\n").filter((l) => l.startsWith(`${cp} `));
      assert.equal(rows.length, 3, members);
      for (const other of cps)
        assert.ok(
          rows.some((r) => r.includes(`https://${other}:2380`)),
          members,
        );
    }
    const services = await ok(["-e", cps[0] ?? "", "-n", cps.join(","), "service", "etcd"]);
    assert.equal(services.match(/STATE +Running/g)?.length, 3, services);
  });

  it("a killed etcd is restarted by its supervisor and the restart shows in service etcd", async () => {
    const node = cluster.nodes[1];
    const pid = (await run("pgrep", ["-f", `etcd --name=talos-${node?.address.replaceAll(".", "-")}`])).stdout.trim();
    assert.notEqual(pid, "");
    process.kill(Number(pid), "SIGKILL");
    const events = await until("etcd restarted", async () => {
      const out = await ok(["-e", cps[0] ?? "", "-n", node?.address ?? "", "service", "etcd"]);
      return /going to restart forever: signal: killed/.test(out) && /STATE +Running/.test(out) ? out : undefined;
    });
    assert.match(events, /\[Waiting\]: Error running Process/);
  });

  it("with one of three control planes stopped, etcd stays writable", async () => {
    const stopped = cluster.nodes[2];
    assert.ok(stopped !== undefined);
    await cluster.stop(stopped);
    try {
      const endpoints = cps
        .slice(0, 2)
        .map((a) => `https://${a}:2379`)
        .join(",");
      await run("etcdctl", ["--endpoints", endpoints, ...etcdctlEnv, "put", "talos-ts-check", "ok"], {
        env: { ETCDCTL_API: "3" },
      });
      const got = await run(
        "etcdctl",
        ["--endpoints", endpoints, ...etcdctlEnv, "get", "talos-ts-check", "--print-value-only"],
        {
          env: { ETCDCTL_API: "3" },
        },
      );
      assert.equal(got.stdout.trim(), "ok");
      const members = await ok(["-e", `${cps[2]},${cps[0]}`, "-n", cps[1] ?? "", "etcd", "members"]);
      assert.equal(members.trim().split("\n").length, 4);
    } finally {
      await cluster.start(stopped);
    }
  });

  it("the worker joined through trustd and answers version through a control plane endpoint", async () => {
    const out = await until("worker apid", async () => {
      const r = await ctl(["-e", cps[0] ?? "", "-n", worker, "version"]);
      return r.code === 0 ? r.stdout : undefined;
    });
    assert.match(out, /Tag: +v1\.6\.7/);
    const services = await ok(["-e", cps[0] ?? "", "-n", worker, "get", "services"]);
    assert.doesNotMatch(services, /etcd|trustd/);
  });

  it("an invalid config is refused with the validation message and the old one stays; --dry-run changes nothing", async () => {
    const node = cps[0] ?? "";
    await writeFile(
      join(cluster.dir, "bad.patch"),
      JSON.stringify({ cluster: { network: { podSubnets: ["10.244.0.0/33"] } } }),
    );
    const bad = await ctl([
      "-e",
      node,
      "-n",
      node,
      "apply-config",
      "-f",
      join(cluster.dir, "controlplane.yaml"),
      "-p",
      `@${join(cluster.dir, "bad.patch")}`,
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /InvalidArgument desc = configuration validation failed/);
    assert.match(bad.stderr, /cluster\.network\.podSubnets\[0\]/);
    const before = await ok(["-e", node, "-n", node, "get", "mc", "-o", "jsonpath={.metadata.version}"]);

    await writeFile(join(cluster.dir, "name.patch"), "machine:\n  network:\n    hostname: dry-run-name\n");
    const dry = await ok([
      "-e",
      node,
      "-n",
      node,
      "apply-config",
      "-f",
      join(cluster.dir, "controlplane.yaml"),
      "-p",
      `@${join(cluster.dir, "name.patch")}`,
      "--dry-run",
    ]);
    assert.match(dry, /Dry run summary:/);
    assert.match(dry, /\+ +hostname: dry-run-name/);
    const after = await ok(["-e", node, "-n", node, "get", "mc", "-o", "jsonpath={.metadata.version}"]);
    assert.equal(after, before);
    const host = await ok(["-e", node, "-n", node, "get", "hostname", "-o", "jsonpath={.spec.hostname}"]);
    assert.notEqual(host.trim(), "dry-run-name");
  });

  it("kubeconfig writes an admin kubeconfig whose certificate openssl verifies against the Kubernetes CA", async () => {
    const path = join(cluster.dir, "kubeconfig");
    await ok(["-e", cps[0] ?? "", "-n", cps[0] ?? "", "kubeconfig", path]);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const kc = parse(await readFile(path, "utf8"));
    assert.equal(kc["current-context"], "admin@test");
    const user = kc.users.find((u: { name: string }) => u.name === "admin@test");
    await writeFile(join(cluster.dir, "kc-client.crt"), Buffer.from(user.user["client-certificate-data"], "base64"));
    const cp = parse(await readFile(join(cluster.dir, "controlplane.yaml"), "utf8"));
    await writeFile(join(cluster.dir, "k8s-ca.crt"), Buffer.from(cp.cluster.ca.crt, "base64"));
    const verify = await run("openssl", [
      "verify",
      "-CAfile",
      join(cluster.dir, "k8s-ca.crt"),
      join(cluster.dir, "kc-client.crt"),
    ]);
    assert.match(verify.stdout, /OK/);
    const subject = await run("openssl", ["x509", "-in", join(cluster.dir, "kc-client.crt"), "-noout", "-subject"]);
    assert.match(subject.stdout, /O ?= ?system:masters/);
  });

  it("etcd snapshot writes a snapshot that etcdctl snapshot status accepts", async () => {
    const path = join(cluster.dir, "db.snapshot");
    await ok(["-e", cps[0] ?? "", "-n", cps[0] ?? "", "etcd", "snapshot", path]);
    const status = await run("etcdctl", ["snapshot", "status", path, "-w", "json"], { env: { ETCDCTL_API: "3" } });
    const parsed = JSON.parse(status.stdout);
    assert.ok(parsed.totalKey > 0, status.stdout);
  });
});
