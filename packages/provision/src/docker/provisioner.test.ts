// End to end against real podman: our own `podman system service` (temp state dir), a tiny local image, a
// 2-node cluster, then destroy, checking what the engine holds at each step. Skipped only without podman.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { arch, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type Docker from "dockerode";
import { connectEngine, type Engine, findExecutable, stopEngineService } from "../engine.ts";
import { macFromIp } from "../net.ts";
import type { ClusterRequest } from "../provisioner.ts";
import { DockerProvisioner } from "./provisioner.ts";

const podman = findExecutable("podman");
const busybox = ["/bin/busybox", "/usr/bin/busybox"].find((p) => existsSync(p));
const skip =
  podman === undefined
    ? "podman is not installed (apt-get install podman runc)"
    : arch() !== "x64" && busybox === undefined
      ? "no static binary for the test image (install busybox-static)"
      : false;

// Each run gets its own names and /24 so concurrent runs and leftovers do not collide.
const tag = `${process.pid}`;
const cluster = `provision-e2e-${tag}`;
const octet = 1 + (process.pid % 250);
const cidr = `10.252.${octet}.0/24`;
const image = `localhost/talos-provision-e2e:${tag}`;
const cpIp = `10.252.${octet}.2`;
const workerIp = `10.252.${octet}.3`;
const config = "version: v1alpha1\nmachine:\n  type: controlplane\n";

describe("DockerProvisioner on podman (end to end)", { skip, timeout: 90_000 }, () => {
  let stateDir = "";
  let engine: Engine | undefined;
  let prov: DockerProvisioner;
  let docker: Docker;

  const request = (): ClusterRequest => ({
    name: cluster,
    cidr,
    mtu: 1400,
    image,
    nodes: [
      {
        name: `${cluster}-controlplane-1`,
        type: "controlplane",
        ip: cpIp,
        config,
        memoryBytes: 256 << 20,
        nanoCpus: 1e9,
      },
      { name: `${cluster}-worker-1`, type: "worker", ip: workerIp },
    ],
  });

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "talos-provision-"));
    // Our own service (or the Docker socket, if this machine has Docker), whatever DOCKER_HOST says.
    const saved = process.env["DOCKER_HOST"];
    delete process.env["DOCKER_HOST"];
    try {
      engine = await connectEngine({ stateDir });
    } finally {
      if (saved !== undefined) process.env["DOCKER_HOST"] = saved;
    }
    docker = engine.docker;
    prov = new DockerProvisioner(engine, { publishPorts: false });
    await buildTestImage(docker, image);
  });

  after(async () => {
    if (engine !== undefined) {
      await prov.destroy(cluster).catch(() => {});
      await prov.destroy(`${cluster}-rb`).catch(() => {});
      await docker
        .getNetwork(`${cluster}-clash`)
        .remove()
        .catch(() => {});
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => {});
    }
    const pidFile = join(stateDir, "podman", "service.pid");
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : undefined;
    const stopped = await stopEngineService(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
    if (engine?.kind === "podman") {
      assert.ok(stopped, "stopEngineService stopped the podman service it started");
      assert.ok(
        !existsSync(`/proc/${pid}/cmdline`) || !readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("service"),
      );
    }
  });

  it("started its own podman API service", (t) => {
    if (engine!.kind === "docker") return t.skip("this machine has Docker; the podman service was not needed");
    assert.equal(engine!.kind, "podman");
    assert.equal(engine!.socketPath, join(stateDir, "podman", "podman.sock"));
    assert.ok(existsSync(join(stateDir, "podman", "service.pid")));
    assert.match(readFileSync(join(stateDir, "podman", "containers.conf"), "utf8"), /runtime = "runc"/);
  });

  it("reuses the running service next time", async (t) => {
    if (engine!.kind === "docker") return t.skip("this machine has Docker");
    const pid = readFileSync(join(stateDir, "podman", "service.pid"), "utf8");
    const lines: string[] = [];
    const again = await connectEngine({ stateDir, host: `unix://${engine!.socketPath}` });
    assert.equal(again.kind, "podman");
    const viaState = await connectEngine({ stateDir, podman: podman!, log: (l) => lines.push(l) });
    if (!existsSync("/var/run/docker.sock")) {
      assert.equal(viaState.socketPath, engine!.socketPath);
      assert.deepEqual(lines, [`using the podman API service at unix://${engine!.socketPath}`]);
    }
    assert.equal(readFileSync(join(stateDir, "podman", "service.pid"), "utf8"), pid);
  });

  it("creates a 2-node cluster", async () => {
    const lines: string[] = [];
    const info = await prov.create(request(), (l) => lines.push(l));
    assert.deepEqual(lines, [`creating network ${cluster}`, "creating controlplane nodes", "creating worker nodes"]);
    assert.deepEqual(info.network, { name: cluster, cidr, gateway: `10.252.${octet}.1`, mtu: 1400 });
    assert.deepEqual(
      info.nodes.map((n) => [n.name, n.type, n.ip, n.state]),
      [
        [`${cluster}-controlplane-1`, "controlplane", cpIp, "running"],
        [`${cluster}-worker-1`, "worker", workerIp, "running"],
      ],
    );

    for (const node of request().nodes) {
      const c = await docker.getContainer(node.name).inspect();
      assert.equal(c.State.Running, true, node.name);
      assert.equal(c.Config.Hostname, node.name);
      assert.deepEqual(Object.fromEntries(Object.entries(c.Config.Labels).filter(([k]) => k.startsWith("talos."))), {
        "talos.owned": "true",
        "talos.cluster.name": cluster,
        "talos.type": node.type,
      });
      const env = c.Config.Env;
      assert.ok(env.includes("PLATFORM=container"));
      if (node.config !== undefined) {
        assert.ok(env.includes(`USERDATA=${Buffer.from(node.config).toString("base64")}`));
        assert.ok(env.includes("TALOSSKU=1CPU-256RAM"));
        assert.equal(c.HostConfig.Memory, 256 << 20);
        assert.equal(c.HostConfig.NanoCpus, 1e9);
      } else {
        assert.ok(!env.some((e) => e.startsWith("USERDATA=")), "maintenance-mode node has no USERDATA");
      }
      assert.equal(c.HostConfig.Privileged, true);
      assert.equal(c.HostConfig.ReadonlyRootfs, true);
      assert.deepEqual(c.HostConfig.SecurityOpt, ["seccomp=unconfined"]);
      for (const t of ["/run", "/system", "/tmp"]) assert.ok(t in (c.HostConfig.Tmpfs ?? {}), `tmpfs ${t}`);
      assert.deepEqual(c.HostConfig.PortBindings ?? {}, {});
      const stopSignal = String((c.Config as { StopSignal?: string }).StopSignal);
      assert.ok(["15", "SIGTERM"].includes(stopSignal), `StopSignal ${stopSignal}`);
      const volumes = c.Mounts.filter((m) => m.Type === "volume").map((m) => m.Destination);
      for (const v of ["/var", "/system/state"]) assert.ok(volumes.includes(v), `volume ${v}`);
      const ep = c.NetworkSettings.Networks[cluster];
      assert.equal(ep?.IPAddress, node.ip);
      assert.equal(ep?.MacAddress, macFromIp(node.ip));

      // What the node process really sees (readable from the host as root, as podman runs here).
      const proc = `/proc/${c.State.Pid}`;
      const mounts = new Map(
        readFileSync(`${proc}/mountinfo`, "utf8")
          .trim()
          .split("\n")
          .map((l) => {
            const f = l.split(" ");
            const fsType = f[f.indexOf("-") + 1];
            return [f[4]!, { opts: f[5]!, fsType }] as const;
          }),
      );
      assert.match(mounts.get("/")!.opts, /^ro\b/, "root filesystem is read-only");
      for (const t of ["/run", "/system", "/tmp"]) assert.equal(mounts.get(t)?.fsType, "tmpfs", t);
      for (const v of ["/var", "/system/state"]) {
        assert.ok(mounts.has(v), `${v} mounted`);
        assert.match(mounts.get(v)!.opts, /^rw\b/);
      }
      assert.ok(!mounts.has("/var/log/journal"), "podman's systemd mode is off (no journal tmpfs over /var)");
      assert.ok(!mounts.has("/run/lock"), "podman's systemd mode is off (no /run/lock tmpfs)");
      const environ = readFileSync(`${proc}/environ`, "utf8").split("\0");
      assert.equal(
        environ.find((e) => e.startsWith("USERDATA=")),
        node.config === undefined ? undefined : `USERDATA=${Buffer.from(node.config).toString("base64")}`,
      );
      assert.equal(readFileSync(`${proc}/root/etc/hostname`, "utf8").trim(), node.name);
      assert.equal(readFileSync(`${proc}/root/sys/class/net/eth0/address`, "utf8").trim(), macFromIp(node.ip));
      assert.equal(readFileSync(`${proc}/root/sys/class/net/eth0/mtu`, "utf8").trim(), "1400");
      // The node's kernel answers from its address (a refused TCP connection is an answer). Rootless podman
      // keeps its bridge in a separate namespace, so only a root engine is reachable from here.
      if (process.getuid?.() === 0) {
        assert.equal(await tcpProbe(node.ip, 50000), "ECONNREFUSED", `${node.ip} reachable from the host`);
      }
    }
  });

  it("refuses to create it again, changing nothing", async () => {
    const before = await snapshot(docker, cluster);
    assert.equal(before.containers.length, 2);
    await assert.rejects(prov.create(request()), { message: `cluster "${cluster}" already exists` });
    assert.deepEqual(await snapshot(docker, cluster), before);
  });

  it("refuses a network of that name with another subnet, creating nothing", async () => {
    const name = `${cluster}-clash`;
    await docker.createNetwork({
      Name: name,
      Driver: "bridge",
      IPAM: { Driver: "default", Config: [{ Subnet: `10.253.${octet}.0/24` }] },
    });
    const before = await snapshot(docker, name);
    await assert.rejects(
      prov.create({ ...request(), name, nodes: [{ name: `${name}-1`, type: "worker", ip: cpIp }] }),
      new RegExp(`^Error: cluster "${name}": network "${name}" already exists with subnet 10\\.253\\.${octet}\\.0/24`),
    );
    assert.deepEqual(await snapshot(docker, name), before);
    await docker.getNetwork(name).remove();
  });

  it("rolls back what it made when a node fails", async () => {
    const name = `${cluster}-rb`;
    const nodes: ClusterRequest["nodes"] = [
      { name: `${name}-controlplane-1`, type: "controlplane", ip: `10.253.${octet}.2` },
      // Below every engine's minimum memory limit (6 MB): this container cannot be created or started.
      { name: `${name}-worker-1`, type: "worker", ip: `10.253.${octet}.3`, memoryBytes: 1024 },
    ];
    const lines: string[] = [];
    await assert.rejects(
      prov.create({ ...request(), name, cidr: `10.253.${octet}.0/24`, nodes }, (l) => lines.push(l)),
      new RegExp(`^Error: cluster "${name}": (creating|starting) node "${name}-worker-1": `),
    );
    assert.deepEqual(lines.slice(0, 2), [`creating network ${name}`, "creating controlplane nodes"]);
    assert.deepEqual(await snapshot(docker, name), { containers: [], networks: [], volumes: [] });
    assert.equal(await prov.reflect(name), undefined);
  });

  it("reflects and lists it", async () => {
    const info = await prov.reflect(cluster);
    assert.ok(info !== undefined);
    assert.equal(info.network.cidr, cidr);
    assert.deepEqual(
      info.nodes.map((n) => [n.name, n.ip, n.state]),
      [
        [`${cluster}-controlplane-1`, cpIp, "running"],
        [`${cluster}-worker-1`, workerIp, "running"],
      ],
    );
    assert.ok((await prov.list()).includes(cluster));
    assert.equal(await prov.reflect(`${cluster}-none`), undefined);
  });

  it("destroys nodes, their volumes and the network", async () => {
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`talos.cluster.name=${cluster}`] },
    });
    assert.equal(containers.length, 2);
    const volumes = containers.flatMap((c) => c.Mounts.filter((m) => m.Type === "volume").map((m) => m.Name!));
    assert.ok(volumes.length >= 4);

    const lines: string[] = [];
    await prov.destroy(cluster, (l) => lines.push(l));
    assert.deepEqual(lines, [
      `destroying node ${cluster}-controlplane-1`,
      `destroying node ${cluster}-worker-1`,
      `destroying network ${cluster}`,
    ]);

    const ids = new Set(containers.map((c) => c.Id));
    assert.deepEqual(
      (await docker.listContainers({ all: true })).filter((c) => ids.has(c.Id)),
      [],
      "no container left",
    );
    const left = new Set(((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name));
    assert.deepEqual(
      volumes.filter((v) => left.has(v)),
      [],
      "no anonymous volume left",
    );
    assert.deepEqual(
      (await docker.listNetworks()).filter((n) => n.Name === cluster),
      [],
      "no network left",
    );
    assert.equal(await prov.reflect(cluster), undefined);
    assert.ok(!(await prov.list()).includes(cluster));

    const again: string[] = [];
    await prov.destroy(cluster, (l) => again.push(l));
    assert.deepEqual(again, [], "destroying a gone cluster is quiet");
  });
});

/**
 * The containers (id, state, volumes), networks and volumes of a cluster: everything named after it or
 * labelled with it. Scoped so that other users of the engine cannot disturb the comparison.
 */
async function snapshot(
  docker: Docker,
  name: string,
): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true }),
    docker.listNetworks(),
    docker.listVolumes(),
  ]);
  const ours = containers.filter(
    (c) => c.Labels?.["talos.cluster.name"] === name || c.Names.some((n) => n.replace(/^\//, "").startsWith(name)),
  );
  const mounted = new Set(ours.flatMap((c) => c.Mounts.map((m) => m.Name ?? "")));
  return {
    containers: ours.map((c) => `${c.Id} ${c.State} ${c.Names.join(",")}`).sort(),
    networks: networks
      .filter((n) => n.Name.startsWith(name) || n.Labels?.["talos.cluster.name"] === name)
      .map((n) => `${n.Id} ${n.Name}`)
      .sort(),
    volumes: (volumes.Volumes ?? [])
      .filter((v) => mounted.has(v.Name))
      .map((v) => v.Name)
      .sort(),
  };
}

function tcpProbe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 3000 });
    s.once("connect", () => {
      s.destroy();
      resolve("connected");
    });
    s.once("timeout", () => {
      s.destroy();
      resolve("timeout");
    });
    s.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/**
 * Builds a `FROM scratch` image whose /sbin/init (the path Talos's image uses) sleeps until SIGTERM: a
 * 200-byte static x86-64 program, or busybox elsewhere.
 */
async function buildTestImage(docker: Docker, tag: string): Promise<void> {
  const files =
    arch() === "x64"
      ? [
          {
            name: "Dockerfile",
            data: Buffer.from('FROM scratch\nCOPY init /sbin/init\nENTRYPOINT ["/sbin/init"]\n'),
          },
          { name: "init", data: sleeperElf(), mode: 0o755 },
        ]
      : [
          {
            name: "Dockerfile",
            data: Buffer.from(
              'FROM scratch\nCOPY busybox /bin/busybox\nENTRYPOINT ["/bin/busybox", "sleep", "3600"]\n',
            ),
          },
          { name: "busybox", data: readFileSync(busybox!), mode: 0o755 },
        ];
  const stream = await docker.buildImage(Readable.from([tarball(files)]), { t: tag });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
      const failed = events?.find((e) => e.error !== undefined);
      if (err !== null) reject(err);
      else if (failed !== undefined) reject(new Error(`building ${tag}: ${failed.error}`));
      else resolve();
    });
  });
}

/** An in-memory ustar archive of regular files. */
function tarball(entries: { name: string; data: Buffer; mode?: number }[]): Buffer {
  const blocks: Buffer[] = [];
  const octal = (n: number, width: number) => `${n.toString(8).padStart(width - 1, "0")}\0`;
  for (const e of entries) {
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, "utf8");
    h.write(octal(e.mode ?? 0o644, 8), 100);
    h.write(octal(0, 8), 108);
    h.write(octal(0, 8), 116);
    h.write(octal(e.data.length, 12), 124);
    h.write(octal(Math.floor(Date.now() / 1000), 12), 136);
    h.write("        ", 148);
    h.write("0", 156);
    h.write("ustar\0", 257);
    h.write("00", 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(h, e.data, Buffer.alloc((512 - (e.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/**
 * A minimal static x86-64 Linux program: installs a SIGTERM handler that exits 0, then pause()s forever
 * (PID 1 in a PID namespace ignores SIGTERM without a handler, and `stop` would wait for SIGKILL).
 */
function sleeperElf(): Buffer {
  const base = 0x400000;
  const codeOff = 64 + 56; // ELF header + one program header
  // biome-ignore format: one instruction per line
  const code = Buffer.from([
    0xb8, 0x0d, 0, 0, 0,          // mov eax, 13 (rt_sigaction)
    0xbf, 0x0f, 0, 0, 0,          // mov edi, 15 (SIGTERM)
    0x48, 0x8d, 0x35, 0, 0, 0, 0, // lea rsi, [rip + act]  (displacement patched below)
    0x31, 0xd2,                   // xor edx, edx (no old action)
    0x41, 0xba, 0x08, 0, 0, 0,    // mov r10d, 8 (sigset size)
    0x0f, 0x05,                   // syscall
    0xb8, 0x22, 0, 0, 0,          // loop: mov eax, 34 (pause)
    0x0f, 0x05,                   // syscall
    0xeb, 0xf7,                   // jmp loop
    0xb8, 0xe7, 0, 0, 0,          // handler: mov eax, 231 (exit_group)
    0x31, 0xff,                   // xor edi, edi
    0x0f, 0x05,                   // syscall
  ]);
  const handlerOff = code.length - 9;
  const actOff = Math.ceil((codeOff + code.length) / 8) * 8;
  code.writeInt32LE(actOff - (codeOff + 17), 13);
  const size = actOff + 32;
  const b = Buffer.alloc(size);
  b.write("\x7fELF", 0, "latin1");
  b.set([2, 1, 1], 4); // 64-bit, little-endian, version 1
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(0x3e, 18); // x86-64
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(BigInt(base + codeOff), 24); // entry
  b.writeBigUInt64LE(64n, 32); // program headers at 64
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(56, 54);
  b.writeUInt16LE(1, 56);
  b.writeUInt32LE(1, 64); // PT_LOAD
  b.writeUInt32LE(5, 68); // R+X
  b.writeBigUInt64LE(BigInt(base), 80);
  b.writeBigUInt64LE(BigInt(base), 88);
  b.writeBigUInt64LE(BigInt(size), 96);
  b.writeBigUInt64LE(BigInt(size), 104);
  b.writeBigUInt64LE(0x1000n, 112);
  code.copy(b, codeOff);
  // struct sigaction { handler, flags = SA_RESTORER, restorer, mask }
  const handler = BigInt(base + codeOff + handlerOff);
  b.writeBigUInt64LE(handler, actOff);
  b.writeBigUInt64LE(0x04000000n, actOff + 8);
  b.writeBigUInt64LE(handler, actOff + 16);
  return b;
}
