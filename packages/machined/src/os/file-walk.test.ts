import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { absolutePath, GoMode, goFileMode, goPathError, walkTree } from "./file-walk.ts";

test("Go os.FileMode encoding", () => {
  assert.equal(goFileMode(0o040755), 0x800001ed);
  assert.equal(goFileMode(0o100644), 0o644);
  assert.equal(goFileMode(0o120777), GoMode.symlink + 0o777);
  assert.equal(goFileMode(0o020620), GoMode.device + GoMode.charDevice + 0o620);
  assert.equal(goFileMode(0o060660), GoMode.device + 0o660);
  assert.equal(goFileMode(0o010600), GoMode.namedPipe + 0o600);
  assert.equal(goFileMode(0o140755), GoMode.socket + 0o755);
  assert.equal(goFileMode(0o041777), GoMode.dir + GoMode.sticky + 0o777);
  assert.equal(goFileMode(0o104755), GoMode.setuid + 0o755);
  assert.equal(goFileMode(0o102755), GoMode.setgid + 0o755);
});

test("Go-style path errors and request paths", () => {
  const enoent = Object.assign(new Error("ENOENT: no such file or directory, lstat '/x'"), { code: "ENOENT" });
  assert.equal(goPathError("lstat", "/x", enoent), "lstat /x: no such file or directory");
  assert.equal(absolutePath("var/log/"), "/var/log");
  assert.equal(absolutePath(""), "/");
  assert.equal(absolutePath("/"), "/");
});

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "walk-"));
  await mkdir(join(dir, "a", "b", "c"), { recursive: true });
  await writeFile(join(dir, "a", "b", "c", "deep"), "x");
  await writeFile(join(dir, "a", "f"), "12345");
  await writeFile(join(dir, "z"), "");
  await symlink("a", join(dir, "link"));
});
after(() => rm(dir, { recursive: true, force: true }));

const rels = async (root: string, maxDepth: number) => {
  const out: string[] = [];
  for await (const i of walkTree(root, { maxDepth })) out.push(i.relPath);
  return out;
};

test("walk: pre-order, lexical, depth-limited; the root always entered", async () => {
  assert.deepEqual(await rels(dir, 0), [".", "a", "link", "z"]);
  assert.deepEqual(await rels(dir, 1), [".", "a", "link", "z"]);
  assert.deepEqual(await rels(dir, 2), [".", "a", "a/b", "a/f", "link", "z"]);
  assert.deepEqual(await rels(dir, -1), [".", "a", "a/b", "a/b/c", "a/b/c/deep", "a/f", "link", "z"]);
});

test("walk: a symlinked root is resolved, a file root is its base name, a missing root throws", async () => {
  const items = [];
  for await (const i of walkTree(join(dir, "link"), { maxDepth: 0 })) items.push(i);
  assert.deepEqual(
    items.map((i) => [i.fullPath, i.relPath]),
    [
      [join(dir, "a"), "."],
      [join(dir, "a", "b"), "b"],
      [join(dir, "a", "f"), "f"],
    ],
  );
  assert.deepEqual(await rels(join(dir, "a", "f"), 0), ["f"]);
  await assert.rejects(rels(join(dir, "missing"), 0), /no such file or directory/);
});

test("walk: an unreadable directory is one item with the error, and the walk goes on", async () => {
  const root = join(dir, "locked");
  await mkdir(join(root, "closed"), { recursive: true });
  await writeFile(join(root, "open"), "");
  await chmod(join(root, "closed"), 0o000);
  let items: [string, string][];
  if (process.getuid?.() !== 0) {
    items = [];
    for await (const i of walkTree(root, { maxDepth: -1 })) items.push([i.relPath, i.error ?? ""]);
  } else {
    // root reads everything: walk as nobody in a child process.
    await chmod(dir, 0o755);
    const script =
      `import { walkTree } from ${JSON.stringify(join(import.meta.dirname, "file-walk.ts"))};\n` +
      "const out = [];\n" +
      "for await (const i of walkTree(process.argv[1], { maxDepth: -1 })) out.push([i.relPath, i.error ?? ''])\n" +
      "console.log(JSON.stringify(out));";
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script, root], {
      uid: 65534,
      gid: 65534,
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    items = JSON.parse(child.stdout);
  }
  assert.deepEqual(items, [
    [".", ""],
    ["closed", `open ${join(root, "closed")}: permission denied`],
    ["open", ""],
  ]);
});
