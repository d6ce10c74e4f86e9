import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { create, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { EmptySchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import {
  CPUInfoResponseSchema,
  DataSchema,
  DiskStatsResponseSchema,
  DiskUsageInfoSchema,
  DiskUsageRequestSchema,
  FileInfoSchema,
  ListRequest_Type,
  ListRequestSchema,
  LoadAvgResponseSchema,
  MemoryResponseSchema,
  MountsResponseSchema,
  NetworkDeviceStatsResponseSchema,
  ProcessesResponseSchema,
  ReadRequestSchema,
  SystemStatResponseSchema,
} from "@talos/machinery/api";
import { GoMode } from "../os/file-walk.ts";
import { createSystemApi } from "./system-api.ts";

const ctx = { signal: new AbortController().signal } as unknown as HandlerContext;
const empty = create(EmptySchema);
const api = createSystemApi();

/** A unary reply as the message it becomes on the wire (handlers may return init shapes). */
async function unary<D extends DescMessage>(
  schema: D,
  reply: MessageInitShape<D> | Promise<MessageInitShape<D>>,
): Promise<MessageShape<D>> {
  return create(schema, await reply);
}

async function collect<D extends DescMessage>(
  schema: D,
  it: AsyncIterable<MessageInitShape<D>>,
): Promise<MessageShape<D>[]> {
  const out: MessageShape<D>[] = [];
  for await (const x of it) out.push(create(schema, x));
  return out;
}

let tmp = "";
before(async () => {
  tmp = await realpath(await mkdtemp(join(tmpdir(), "system-api-")));
});
after(() => rm(tmp, { recursive: true, force: true }));

// --- against a fixture /proc ---

async function fixtureProc(): Promise<string> {
  const proc = join(tmp, "proc");
  await mkdir(join(proc, "net"), { recursive: true });
  await mkdir(join(proc, "4242"));
  await mkdir(join(tmp, "mnt point"));
  await writeFile(join(proc, "meminfo"), "MemTotal:       2048000 kB\nMemFree:  1024 kB\nDirectMap2M:  4096 kB\n");
  await writeFile(join(proc, "loadavg"), "1.50 0.25 0.00 2/100 999\n");
  await writeFile(
    join(proc, "stat"),
    "cpu  100 0 50 1000 0 0 0 0 0 0\ncpu0 100 0 50 1000 0 0 0 0 0 0\nbtime 1700000000\n",
  );
  await writeFile(
    join(proc, "cpuinfo"),
    "processor\t: 0\nmodel name\t: Test CPU\n\nprocessor\t: 1\nmodel name\t: Test CPU\n",
  );
  await writeFile(join(proc, "diskstats"), " 8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n");
  await writeFile(join(proc, "net", "dev"), "h1\nh2\n  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
  await writeFile(
    join(proc, "mounts"),
    `/dev/sda1 ${tmp.replaceAll(" ", "\\040")}/mnt\\040point ext4 rw 0 0\n` +
      `gone ${tmp}/missing tmpfs rw 0 0\n` +
      `file ${proc}/loadavg none bind 0 0\n`,
  );
  await writeFile(
    join(proc, "4242", "stat"),
    "4242 (a (b) c) R 1 4242 4242 0 -1 0 0 0 0 0 300 100 0 0 20 0 3 0 1 8192000 10 0\n",
  );
  await writeFile(join(proc, "4242", "cmdline"), "/usr/bin/a\0--flag\0x y\0");
  await symlink("/usr/bin/a", join(proc, "4242", "exe"));
  return proc;
}

test("fixture /proc: memory, loadavg, stat, cpuinfo, diskstats, net/dev, mounts, processes", async () => {
  const fx = createSystemApi({ procRoot: await fixtureProc() });

  const mem = await unary(MemoryResponseSchema, fx.memory!(empty, ctx));
  assert.equal(mem.messages.length, 1);
  assert.equal(mem.messages[0]?.metadata, undefined);
  assert.equal(mem.messages[0]?.meminfo?.memtotal, 2048000n);
  assert.equal(mem.messages[0]?.meminfo?.directmap2m, 4096n);

  const load = (await unary(LoadAvgResponseSchema, fx.loadAvg!(empty, ctx))).messages[0];
  assert.deepEqual([load?.load1, load?.load5, load?.load15], [1.5, 0.25, 0]);

  const st = (await unary(SystemStatResponseSchema, fx.systemStat!(empty, ctx))).messages[0];
  assert.equal(st?.bootTime, 1700000000n);
  assert.equal(st?.cpuTotal?.user, 1);
  assert.equal(st?.cpu.length, 1);

  const cpus = (await unary(CPUInfoResponseSchema, fx.cPUInfo!(empty, ctx))).messages[0]?.cpuInfo ?? [];
  assert.deepEqual(
    cpus.map((c) => [c.processor, c.modelName]),
    [
      [0, "Test CPU"],
      [1, "Test CPU"],
    ],
  );

  const disks = (await unary(DiskStatsResponseSchema, fx.diskStats!(empty, ctx))).messages[0];
  assert.equal(disks?.devices[0]?.name, "sda");
  assert.equal(disks?.total?.discardTimeMs, 15n);

  const net = (await unary(NetworkDeviceStatsResponseSchema, fx.networkDeviceStats!(empty, ctx))).messages[0];
  assert.equal(net?.total?.name, "eth0");
  assert.equal(net?.devices[0]?.txCompressed, 16n);

  const mounts = (await unary(MountsResponseSchema, fx.mounts!(empty, ctx))).messages[0]?.stats ?? [];
  assert.deepEqual(
    mounts.map((m) => [m.filesystem, m.mountedOn]),
    [["/dev/sda1", `${tmp}/mnt point`]],
    "missing and non-directory mount points are left out",
  );
  assert.ok((mounts[0]?.size ?? 0n) > 0n);
  assert.ok((mounts[0]?.available ?? 0n) <= (mounts[0]?.size ?? 0n));

  const procs = (await unary(ProcessesResponseSchema, fx.processes!(empty, ctx))).messages[0]?.processes ?? [];
  assert.equal(procs.length, 1);
  const p = procs[0];
  assert.equal(p?.pid, 4242);
  assert.equal(p?.ppid, 1);
  assert.equal(p?.state, "R");
  assert.equal(p?.threads, 3);
  assert.equal(p?.cpuTime, 4);
  assert.equal(p?.virtualMemory, 8192000n);
  assert.ok((p?.residentMemory ?? 0n) >= 10n * 4096n);
  assert.equal(p?.command, "a (b) c");
  assert.equal(p?.executable, "/usr/bin/a");
  assert.equal(p?.args, "/usr/bin/a --flag x y");
});

// --- against this machine's /proc ---

test("processes lists this process with its command, executable and arguments", async () => {
  const procs = (await unary(ProcessesResponseSchema, api.processes!(empty, ctx))).messages[0]?.processes ?? [];
  const me = procs.find((p) => p.pid === process.pid);
  assert.ok(me, "own pid listed");
  assert.equal(me.command, (await readFile("/proc/self/comm", "utf8")).trim());
  assert.equal(me.ppid, process.ppid);
  assert.equal(me.executable, await realpath(process.execPath));
  assert.ok(me.args.startsWith(process.argv0) || me.args.includes("node"), me.args);
  assert.ok(me.threads >= 1);
  assert.ok(me.residentMemory > 0n && me.virtualMemory >= me.residentMemory);
});

test("memory, system stat, cpu info, disk and network stats, mounts and load of this machine", async () => {
  const mem = (await unary(MemoryResponseSchema, api.memory!(empty, ctx))).messages[0]?.meminfo;
  assert.ok((mem?.memtotal ?? 0n) > 0n);
  assert.ok((mem?.memfree ?? 0n) <= (mem?.memtotal ?? 0n));
  const st = (await unary(SystemStatResponseSchema, api.systemStat!(empty, ctx))).messages[0];
  assert.ok((st?.bootTime ?? 0n) > 0n);
  assert.ok((st?.cpu.length ?? 0) > 0);
  assert.ok(((await unary(CPUInfoResponseSchema, api.cPUInfo!(empty, ctx))).messages[0]?.cpuInfo.length ?? 0) > 0);
  await unary(DiskStatsResponseSchema, api.diskStats!(empty, ctx));
  const net = (await unary(NetworkDeviceStatsResponseSchema, api.networkDeviceStats!(empty, ctx))).messages[0];
  assert.ok(net?.devices.some((d) => d.name === "lo"));
  const mounts = (await unary(MountsResponseSchema, api.mounts!(empty, ctx))).messages[0]?.stats ?? [];
  assert.ok(mounts.some((m) => m.mountedOn === "/"));
  const load = (await unary(LoadAvgResponseSchema, api.loadAvg!(empty, ctx))).messages[0];
  assert.ok((load?.load1 ?? -1) >= 0);
});

// --- files ---

async function tree(): Promise<string> {
  const root = join(tmp, "tree");
  await mkdir(join(root, "sub", "deeper"), { recursive: true });
  await chmod(root, 0o750);
  await writeFile(join(root, "file.txt"), "hello world");
  await chmod(join(root, "file.txt"), 0o640);
  await writeFile(join(root, "sub", "inner"), "12345");
  await writeFile(join(root, "sub", "deeper", "x"), "1234567890");
  await symlink("file.txt", join(root, "link"));
  return root;
}

test("list: a directory with a file, a subdirectory and a symlink, with Go file modes", async () => {
  const root = await tree();
  const items = await collect(FileInfoSchema, api.list!(create(ListRequestSchema, { root }), ctx));
  assert.deepEqual(
    items.map((i) => i.relativeName),
    [".", "file.txt", "link", "sub"],
  );
  const [dot, file, link, sub] = items;
  assert.equal(dot?.name, root);
  assert.equal(dot?.isDir, true);
  assert.equal(dot?.mode, GoMode.dir + 0o750);
  assert.equal(dot?.mode, 0x800001e8);
  assert.equal(file?.name, join(root, "file.txt"));
  assert.equal(file?.mode, 0o640);
  assert.equal(file?.size, 11n);
  assert.equal(file?.isDir, false);
  assert.equal(file?.uid, process.getuid?.());
  assert.equal(file?.gid, process.getgid?.());
  assert.ok(Math.abs(Number(file?.modified) - Date.now() / 1000) < 60);
  assert.equal(link?.mode, GoMode.symlink + 0o777);
  assert.equal(link?.link, "file.txt");
  assert.equal(link?.size, 8n);
  assert.equal(sub?.isDir, true);
  assert.ok(((sub?.mode ?? 0) & GoMode.dir) !== 0);
  assert.ok(items.every((i) => i.error === ""));
});

test("list: recursion, depth and type filter", async () => {
  const root = join(tmp, "tree");
  const names = async (req: Parameters<typeof create<typeof ListRequestSchema>>[1]) =>
    (await collect(FileInfoSchema, api.list!(create(ListRequestSchema, { root, ...req }), ctx))).map(
      (i) => i.relativeName,
    );
  assert.deepEqual(await names({ recurse: true }), [
    ".",
    "file.txt",
    "link",
    "sub",
    "sub/deeper",
    "sub/deeper/x",
    "sub/inner",
  ]);
  assert.deepEqual(await names({ recurse: true, recursionDepth: 2 }), [
    ".",
    "file.txt",
    "link",
    "sub",
    "sub/deeper",
    "sub/inner",
  ]);
  assert.deepEqual(await names({ recurse: true, types: [ListRequest_Type.REGULAR] }), [
    "file.txt",
    "sub/deeper/x",
    "sub/inner",
  ]);
  assert.deepEqual(await names({ types: [ListRequest_Type.SYMLINK, ListRequest_Type.DIRECTORY] }), [
    ".",
    "link",
    "sub",
  ]);
  await assert.rejects(
    collect(FileInfoSchema, api.list!(create(ListRequestSchema, { root: join(tmp, "nope") }), ctx)),
    (e) => e instanceof ConnectError && e.code === Code.NotFound,
  );
});

test("read: a file's bytes; a directory is InvalidArgument, a missing file NotFound", async () => {
  const root = join(tmp, "tree");
  const big = Buffer.alloc(200_000, 7);
  await writeFile(join(root, "big"), big);
  const chunks = await collect(DataSchema, api.read!(create(ReadRequestSchema, { path: join(root, "file.txt") }), ctx));
  assert.equal(Buffer.concat(chunks.map((c) => c.bytes)).toString(), "hello world");
  const bigChunks = await collect(DataSchema, api.read!(create(ReadRequestSchema, { path: join(root, "big") }), ctx));
  assert.ok(bigChunks.length > 1);
  assert.deepEqual(Buffer.concat(bigChunks.map((c) => c.bytes)), big);
  const viaLink = await collect(DataSchema, api.read!(create(ReadRequestSchema, { path: join(root, "link") }), ctx));
  assert.equal(Buffer.concat(viaLink.map((c) => c.bytes)).toString(), "hello world");
  const procFile = await collect(DataSchema, api.read!(create(ReadRequestSchema, { path: "/proc/self/stat" }), ctx));
  assert.match(Buffer.concat(procFile.map((c) => c.bytes)).toString(), /^\d+ \(/);

  await assert.rejects(
    collect(DataSchema, api.read!(create(ReadRequestSchema, { path: root }), ctx)),
    (e) => e instanceof ConnectError && e.code === Code.InvalidArgument && /regular file/.test(e.rawMessage),
  );
  await assert.rejects(
    collect(DataSchema, api.read!(create(ReadRequestSchema, { path: join(root, "missing") }), ctx)),
    (e) => e instanceof ConnectError && e.code === Code.NotFound && /no such file or directory/.test(e.rawMessage),
  );
});

test("diskUsage: directory totals after their contents; all, depth and threshold", async () => {
  const root = join(tmp, "du");
  await mkdir(join(root, "a", "b"), { recursive: true });
  await writeFile(join(root, "a", "b", "f1"), Buffer.alloc(1000));
  await writeFile(join(root, "a", "f2"), Buffer.alloc(100));
  await writeFile(join(root, "f3"), Buffer.alloc(10));
  const du = async (req: Parameters<typeof create<typeof DiskUsageRequestSchema>>[1]) =>
    (
      await collect(DiskUsageInfoSchema, api.diskUsage!(create(DiskUsageRequestSchema, { paths: [root], ...req }), ctx))
    ).map((i) => [i.relativeName, i.size, i.error] as const);

  const dirs = await du({});
  assert.deepEqual(
    dirs.map(([n]) => n),
    ["a/b", "a", "."],
  );
  const sizeOf = (rows: (readonly [string, bigint, string])[], n: string) => rows.find((r) => r[0] === n)?.[1] ?? -1n;
  const dirSize = sizeOf(dirs, ".") - sizeOf(dirs, "a") - 10n; // the root directory's own size
  assert.ok(dirSize > 0n);
  assert.ok(sizeOf(dirs, "a/b") >= 1000n);
  assert.equal(sizeOf(dirs, "a"), sizeOf(dirs, "a/b") + 100n + dirSize);

  assert.deepEqual(
    (await du({ all: true })).map(([n]) => n),
    ["a/b/f1", "a/b", "a/f2", "a", "f3", "."],
  );
  assert.deepEqual(
    (await du({ all: true, recursionDepth: 2 })).map(([n]) => n),
    ["a", "f3", "."],
  );
  assert.deepEqual(
    (await du({ all: true, threshold: 50n })).map(([n]) => n),
    ["a/b/f1", "a/b", "a/f2", "a", "."],
  );
  assert.deepEqual(
    (await du({ all: true, threshold: -100n })).map(([n]) => n),
    ["a/f2", "f3"],
  );

  const missing = await collect(
    DiskUsageInfoSchema,
    api.diskUsage!(create(DiskUsageRequestSchema, { paths: [join(tmp, "none"), join(root, "f3")], all: true }), ctx),
  );
  assert.equal(missing[0]?.name, join(tmp, "none"));
  assert.match(missing[0]?.error ?? "", /no such file or directory/);
  assert.deepEqual([missing[1]?.relativeName, missing[1]?.size], ["f3", 10n]);
});
