// The node image builder: the tar writer and ldd parsing on their own, then (when podman is installed) a real
// build through the Docker Engine API of `podman system service` and through the podman CLI, and throwaway
// containers proving the pieces run from the read-only image. The built image is kept for later tests.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { configChanges, contentHash } from "./build.ts";
import { importedId } from "./engine.ts";
import { buildNodeImage, DAEMON_NODE_FLAGS, IMAGE_PATHS, NODE_IMAGE_REPOSITORY, nodeImageConfig } from "./index.ts";
import { parseLdd, planRootfs } from "./rootfs.ts";
import { type RootfsEntry, tarStream } from "./tar.ts";

const execFileP = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../../../..");

async function collect(entries: readonly RootfsEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of tarStream(entries)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe("node image pieces", () => {
  test("parseLdd keeps the library paths and the loader, skips the vDSO", () => {
    const out =
      "\tlinux-vdso.so.1 (0x00007ffd)\n" +
      "\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f29)\n" +
      "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f29)\n" +
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f29)\n";
    assert.deepEqual(parseLdd(out), [
      "/lib/x86_64-linux-gnu/libstdc++.so.6",
      "/lib/x86_64-linux-gnu/libc.so.6",
      "/lib64/ld-linux-x86-64.so.2",
    ]);
    assert.throws(() => parseLdd("\tlibfoo.so.1 => not found\n"), /missing library/);
  });

  test("the tar is deterministic and GNU tar reads it back (dirs, files, symlinks, long paths)", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "node-image-tar-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const host = join(dir, "host.bin");
    const hostData = Buffer.alloc(70_000, 7);
    await writeFile(host, hostData);
    const deep = `/opt/${"d".repeat(90)}/${"e".repeat(60)}/file.txt`;
    const entries: RootfsEntry[] = [
      { type: "dir", path: "/opt", mode: 0o755 },
      { type: "dir", path: `/opt/${"d".repeat(90)}`, mode: 0o755 },
      { type: "dir", path: `/opt/${"d".repeat(90)}/${"e".repeat(60)}`, mode: 0o755 },
      { type: "file", path: deep, mode: 0o644, content: Buffer.from("deep\n") },
      { type: "dir", path: "/tmp", mode: 0o1777 },
      { type: "dir", path: "/usr", mode: 0o755 },
      { type: "file", path: "/usr/host.bin", mode: 0o755, source: host, size: hostData.length },
      { type: "symlink", path: "/usr/link", target: "host.bin" },
    ];
    const a = await collect(entries);
    assert.deepEqual(await collect(entries), a, "same entries, same bytes");
    assert.equal(a.length % 512, 0);

    const out = join(dir, "out");
    await mkdir(out);
    execFileSync("tar", ["-x", "-C", out, "-f", "-"], { input: a });
    assert.deepEqual(await readFile(join(out, "usr/host.bin")), hostData);
    assert.equal(await readFile(join(out, deep.slice(1)), "utf8"), "deep\n");
    assert.equal(await readlink(join(out, "usr/link")), "host.bin");
    const listing = execFileSync("tar", ["-tv", "--numeric-owner", "-f", "-"], {
      input: a,
      encoding: "utf8",
      env: { ...process.env, TZ: "UTC" },
    });
    assert.match(listing, /^drwxrwxrwt 0\/0 .* tmp\/$/m);
    assert.match(listing, /^-rwxr-xr-x 0\/0 +70000 1970-01-01 00:00 usr\/host\.bin$/m);

    // A file that changes size after planning must fail the archive, not corrupt it.
    await writeFile(host, Buffer.alloc(10));
    await assert.rejects(collect(entries), /changed while being archived/);
  });

  test("the config: tini as PID 1 running machined, PATH set, labels; the tag ignores only the source", () => {
    const config = nodeImageConfig("abc123");
    assert.deepEqual(config.entrypoint, ["/sbin/tini", "-s", "-g", "--"]);
    assert.deepEqual(config.cmd, [
      "/usr/local/bin/node",
      ...DAEMON_NODE_FLAGS,
      "/usr/lib/talos/machined.mjs",
      "--platform",
      "container",
    ]);
    assert.deepEqual(configChanges(config), [
      'ENTRYPOINT ["/sbin/tini","-s","-g","--"]',
      `CMD ${JSON.stringify(["/usr/local/bin/node", ...DAEMON_NODE_FLAGS, "/usr/lib/talos/machined.mjs", "--platform", "container"])}`,
      "ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
      "STOPSIGNAL SIGTERM",
      'LABEL org.opencontainers.image.title="talos-ts node"',
      'LABEL talos.version="v1.6.7"',
      'LABEL talos-ts.source="abc123"',
    ]);
    const h = contentHash("sha256:aa", config);
    assert.match(h, /^[0-9a-f]{16}$/);
    assert.equal(contentHash("sha256:aa", nodeImageConfig("def456")), h);
    assert.notEqual(contentHash("sha256:ab", config), h);
  });

  test("importedId reads the engine's progress stream and surfaces errors", () => {
    const id = "a".repeat(64);
    assert.equal(importedId(`{"status":"sha256:${id}"}\r\n`), id);
    assert.equal(importedId(`{"status":"sha256:${id}","progress":"","id":"sha256:${id}"}`), id);
    assert.throws(() => importedId('{"errorDetail":{"message":"bad tar"},"error":"bad tar"}'), /bad tar/);
  });

  test("the rootfs plan: node, machined, etcd, tini with their libraries, /etc and mount points", async (t) => {
    if (!existsSync(join(repoRoot, "dist/machined.mjs"))) return t.skip("dist/machined.mjs not built");
    const entries = await planRootfs({ repoRoot, talosVersion: "v1.6.7" });
    const byPath = new Map(entries.map((e) => [e.path, e]));
    for (const p of [...Object.values(IMAGE_PATHS).filter((p) => p !== IMAGE_PATHS.busybox), "/etc/os-release"]) {
      assert.equal(byPath.get(p)?.type, "file", p);
    }
    assert.ok(byPath.has("/lib64/ld-linux-x86-64.so.2"), "the dynamic loader");
    assert.ok(
      [...byPath.keys()].some((p) => /\/libstdc\+\+\.so/.test(p)),
      "node's libstdc++",
    );
    for (const d of ["/var", "/system", "/system/state", "/run", "/tmp", "/etc/kubernetes", "/opt"]) {
      assert.equal(byPath.get(d)?.type, "dir", d);
    }
    const sorted = entries.map((e) => e.path);
    assert.deepEqual(sorted, [...sorted].sort());
  });
});

// ---- the real image, through podman ----

function hasPodman(): boolean {
  try {
    execFileSync("podman", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((done) => {
    const req = request({ socketPath, path: "/_ping", method: "GET" }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on("error", () => done(false));
    req.end();
  });
}

describe("node image build and run (podman)", { skip: hasPodman() ? false : "podman not installed" }, () => {
  let dir = "";
  let socketPath = "";
  let service: ChildProcess | undefined;
  let tag = "";
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, CONTAINERS_CONF: join(dir, "containers.conf") });
  const stopService = () => {
    if (service?.pid !== undefined && service.exitCode === null) service.kill("SIGTERM");
  };

  before(async () => {
    if (!existsSync(join(repoRoot, "dist/machined.mjs"))) {
      execFileSync(process.execPath, ["hack/build.ts"], { cwd: repoRoot, stdio: "ignore" });
    }
    dir = await mkdtemp(join(tmpdir(), "node-image-"));
    // This host: crun cannot run on hybrid cgroups and the default rlimits exceed the hard limits.
    await writeFile(
      join(dir, "containers.conf"),
      '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n' +
        '[engine]\nruntime = "runc"\n[engine.runtimes]\nrunc = ["/usr/sbin/runc"]\n',
    );
    // The podman CLI the builder falls back to honours the same file.
    process.env.CONTAINERS_CONF = join(dir, "containers.conf");
    socketPath = join(dir, "podman.sock");
    service = spawn("podman", ["system", "service", "--time=0", `unix://${socketPath}`], {
      env: env(),
      stdio: "ignore",
    });
    process.once("exit", stopService);
    const deadline = Date.now() + 15_000;
    while (!(await ping(socketPath))) {
      if (Date.now() > deadline || service.exitCode !== null) throw new Error("podman system service did not start");
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  after(async () => {
    stopService();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  test("builds through the Docker Engine API; a rebuild (API or CLI) is a no-op", { timeout: 120_000 }, async (t) => {
    const lines: string[] = [];
    const log = (s: string) => lines.push(s);
    let t0 = performance.now();
    const first = await buildNodeImage({ repoRoot, engine: { socketPath }, log });
    const firstMs = performance.now() - t0;
    t.diagnostic(`first build (built=${first.built}): ${Math.round(firstMs)} ms, ${first.sizeBytes} bytes`);
    assert.match(first.tag, new RegExp(`^${NODE_IMAGE_REPOSITORY}:[0-9a-f]{16}$`));
    assert.ok(first.sizeBytes > 50e6, `image size ${first.sizeBytes}`);

    t0 = performance.now();
    const again = await buildNodeImage({ repoRoot, engine: { socketPath }, log });
    t.diagnostic(`no-op rebuild via API: ${Math.round(performance.now() - t0)} ms`);
    assert.deepEqual(again, { ...first, built: false });

    t0 = performance.now();
    const viaCli = await buildNodeImage({ repoRoot, log });
    t.diagnostic(`no-op rebuild via podman CLI: ${Math.round(performance.now() - t0)} ms`);
    assert.equal(viaCli.built, false);
    assert.equal(viaCli.tag, first.tag);
    for (const l of lines) t.diagnostic(l);
    tag = first.tag;

    const inspect = JSON.parse(
      execFileSync("podman", ["image", "inspect", tag], { env: env(), encoding: "utf8" }),
    ) as Array<{ Id: string; Config: Record<string, unknown>; RepoTags: string[] }>;
    const config = inspect[0]!.Config;
    assert.deepEqual(config["Entrypoint"], ["/sbin/tini", "-s", "-g", "--"]);
    assert.deepEqual(config["Cmd"], [
      "/usr/local/bin/node",
      ...DAEMON_NODE_FLAGS,
      "/usr/lib/talos/machined.mjs",
      "--platform",
      "container",
    ]);
    assert.deepEqual(config["Env"], ["PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"]);
    assert.ok(["15", "SIGTERM"].includes(String(config["StopSignal"])));
    const labels = config["Labels"] as Record<string, string>;
    assert.equal(labels["org.opencontainers.image.title"], "talos-ts node");
    assert.equal(labels["talos.version"], "v1.6.7");
    assert.match(labels["talos-ts.source"] ?? "", /^([0-9a-f]{7,}(-dirty)?|unknown)$/);
    assert.ok(inspect[0]!.RepoTags.includes(`${NODE_IMAGE_REPOSITORY}:latest`), "latest follows the build");
  });

  test("imports through the podman CLI too (scratch repository, removed afterwards)", {
    timeout: 60_000,
  }, async (t) => {
    const repository = `localhost/talos-ts/node-test-${process.pid}`;
    t.after(() => execFileP("podman", ["rmi", "--force", `${repository}:latest`], { env: env() }).catch(() => {}));
    const t0 = performance.now();
    const r = await buildNodeImage({ repoRoot, repository });
    t.diagnostic(`first build via podman CLI: ${Math.round(performance.now() - t0)} ms`);
    assert.equal(r.built, true);
    assert.ok(r.tag.startsWith(`${repository}:`));
    const tags = execFileSync("podman", ["image", "inspect", "--format", "{{.RepoTags}} {{.Config.Cmd}}", r.tag], {
      env: env(),
      encoding: "utf8",
    });
    assert.match(tags, /node-test-\d+:latest/);
    assert.match(tags, /machined\.mjs --platform container/);
    await execFileP("podman", ["rmi", "--force", r.tag], { env: env() });
  });

  test("the image runs read-only: node 24, etcd 3.4, tini, machined loads", { timeout: 90_000 }, async (t) => {
    assert.ok(tag !== "", "the build test ran first");
    // tini stays the entrypoint for the command overrides, so every run also goes through it.
    const run = async (args: string[], entrypoint?: string): Promise<{ code: number; out: string }> => {
      const flags = ["run", "--rm", "--network", "none", "--read-only", "--tmpfs", "/run", "--tmpfs", "/system"];
      flags.push("--tmpfs", "/tmp", "-v", "/var");
      if (entrypoint !== undefined) flags.push("--entrypoint", entrypoint);
      const t0 = performance.now();
      try {
        const r = await execFileP("podman", [...flags, tag, ...args], { env: env(), timeout: 30_000 });
        t.diagnostic(`run ${args.slice(0, 2).join(" ")}: ${Math.round(performance.now() - t0)} ms`);
        return { code: 0, out: r.stdout + r.stderr };
      } catch (e) {
        const err = e as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof err.code === "number" ? err.code : -1, out: `${err.stdout ?? ""}${err.stderr ?? ""}` };
      }
    };

    const node = await run(["node", "--version"]);
    assert.equal(node.code, 0, node.out);
    assert.match(node.out, /^v24\./);

    const etcd = await run(["etcd", "--version"]);
    assert.equal(etcd.code, 0, etcd.out);
    assert.match(etcd.out, /etcd Version: 3\.4\./);

    const tini = await run(["--version"], "/sbin/tini");
    assert.equal(tini.code, 0, tini.out);
    assert.match(tini.out, /tini version/);

    const machined = await run(["node", "/usr/lib/talos/machined.mjs"]);
    assert.equal(machined.code, 1, machined.out);
    assert.match(machined.out, /usage: machined/);

    // The environment machined gets: PATH, root, the read-only rootfs and writable mounts, os-release.
    const probe = await run([
      "node",
      "-e",
      `const fs = require("node:fs");
       const w = (p) => { try { fs.writeFileSync(p, "x"); return "rw"; } catch (e) { return e.code; } };
       console.log(JSON.stringify({
         path: process.env.PATH, uid: process.getuid(), ppid: process.ppid,
         usr: w("/usr/x"), var: w("/var/x"), system: w("/system/x"), run: w("/run/x"),
         osRelease: fs.readFileSync("/etc/os-release", "utf8"),
         etcdUser: fs.readFileSync("/etc/passwd", "utf8").split("\\n").find((l) => l.startsWith("etcd:")),
       }));`,
    ]);
    assert.equal(probe.code, 0, probe.out);
    const seen = JSON.parse(probe.out) as Record<string, unknown>;
    assert.equal(seen["path"], "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    assert.equal(seen["uid"], 0);
    assert.equal(seen["ppid"], 1, "tini is PID 1, node its child");
    assert.equal(seen["usr"], "EROFS");
    assert.equal(seen["var"], "rw");
    assert.equal(seen["system"], "rw");
    assert.equal(seen["run"], "rw");
    assert.match(String(seen["osRelease"]), /^ID=talos-ts$/m);
    assert.match(String(seen["osRelease"]), /^VERSION_ID=v1\.6\.7$/m);
    assert.match(String(seen["etcdUser"]), /^etcd:x:60:60:/);
  });
});
