// `talosctl kubeconfig` against a fake apid: writing the downloaded file, merging into an existing
// kubeconfig (renaming clashes, --force, --force-context-name), file modes.
import assert from "node:assert/strict";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { parse } from "yaml";
import { type FakeApid, startFakeApid } from "./fake-apid.ts";
import { runTalosctl } from "./harness.ts";
import { nodeFixture } from "./node-fixture.ts";

let issued = 0;

/** What the node returns: a fresh client certificate every call, as Talos mints one per request. */
function nodeKubeconfig(): string {
  issued++;
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "    - name: talos-default",
    "      cluster:",
    "        server: https://10.5.0.2:6443",
    "        certificate-authority-data: Q0E=",
    "users:",
    "    - name: admin@talos-default",
    "      user:",
    `        client-certificate-data: Q1JU${issued}`,
    "        client-key-data: S0VZ",
    "contexts:",
    "    - context:",
    "        cluster: talos-default",
    "        namespace: default",
    "        user: admin@talos-default",
    "      name: admin@talos-default",
    "current-context: admin@talos-default",
    "",
  ].join("\n");
}

const EXISTING = [
  "apiVersion: v1",
  "kind: Config",
  "preferences: {}",
  "clusters:",
  "- cluster:",
  "    server: https://old.example:6443",
  "  name: talos-default",
  "- cluster:",
  "    server: https://prod.example:6443",
  "  name: prod",
  "users:",
  "- name: admin@talos-default",
  "  user:",
  "    token: old",
  "- name: prod-admin",
  "  user:",
  "    token: secret",
  "contexts:",
  "- context:",
  "    cluster: prod",
  "    user: prod-admin",
  "  name: prod",
  "current-context: prod",
  "",
].join("\n");

describe("talosctl kubeconfig", () => {
  let apid: FakeApid;
  let home: string;
  let n = 0;
  const run = (cwd: string, ...args: string[]) =>
    runTalosctl(["--talosconfig", apid.talosconfig, "-n", "10.5.0.2", "kubeconfig", ...args], { cwd });

  before(async () => {
    apid = await startFakeApid({ routes: nodeFixture({}, { kubeconfig: nodeKubeconfig }) });
  });
  after(async () => apid.close());
  beforeEach(async () => {
    home = join(apid.dir, `home${n++}`);
    await mkdir(home);
  });

  it("writes the node's kubeconfig as is, 0600, to a new path or to ./kubeconfig for `.`", async () => {
    const r = await run(home, "out/admin.conf");
    assert.equal(r.code, 0, r.stderr);
    const written = await readFile(join(home, "out/admin.conf"), "utf8");
    assert.match(written, /^apiVersion: v1\nkind: Config\nclusters:\n {4}- name: talos-default\n/);
    assert.equal((await stat(join(home, "out/admin.conf"))).mode & 0o777, 0o600);

    const dot = await run(home, ".");
    assert.equal(dot.code, 0, dot.stderr);
    assert.match(await readFile(join(home, "kubeconfig"), "utf8"), /admin@talos-default/);
  });

  it("merges into ~/.kube/config by default, renaming clashing entries and switching the context", async () => {
    await mkdir(join(home, ".kube"));
    await writeFile(join(home, ".kube/config"), EXISTING, { mode: 0o644 });
    const r = await run(home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'renamed cluster "talos-default" -> "talos-default-1"\n' +
        'renamed auth info "admin@talos-default" -> "admin@talos-default-1"\n' +
        'renamed context "admin@talos-default" -> "admin@talos-default-1"\n',
    );
    const path = join(home, ".kube/config");
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const doc = parse(await readFile(path, "utf8")) as any;
    assert.deepEqual(
      doc.clusters.map((c: any) => [c.name, c.cluster.server]),
      [
        ["prod", "https://prod.example:6443"],
        ["talos-default", "https://old.example:6443"],
        ["talos-default-1", "https://10.5.0.2:6443"],
      ],
    );
    assert.deepEqual(
      doc.users.map((u: any) => u.name),
      ["admin@talos-default", "admin@talos-default-1", "prod-admin"],
    );
    assert.deepEqual(
      doc.contexts.map((c: any) => [c.name, c.context.cluster, c.context.user, c.context.namespace]),
      [
        ["admin@talos-default-1", "talos-default-1", "admin@talos-default-1", "default"],
        ["prod", "prod", "prod-admin", undefined],
      ],
    );
    assert.equal(doc["current-context"], "admin@talos-default-1");
    assert.deepEqual(doc.preferences, {});

    // Merging again renames to the next free suffix.
    const again = await run(home);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /renamed auth info "admin@talos-default" -> "admin@talos-default-2"\n/);
  });

  it("--force overwrites clashing entries; --force-context-name names the context", async () => {
    const path = join(home, "config");
    await writeFile(path, EXISTING);
    const r = await run(home, path, "--force", "--force-context-name", "talos");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'renamed context "admin@talos-default" -> "talos"\n');
    const doc = parse(await readFile(path, "utf8")) as any;
    assert.deepEqual(
      doc.clusters.map((c: any) => [c.name, c.cluster.server]),
      [
        ["prod", "https://prod.example:6443"],
        ["talos-default", "https://10.5.0.2:6443"],
      ],
    );
    assert.equal(doc.users.find((u: any) => u.name === "admin@talos-default").user["client-key-data"], "S0VZ");
    assert.equal(doc["current-context"], "talos");
    assert.deepEqual(
      doc.contexts.map((c: any) => c.name),
      ["prod", "talos"],
    );
  });

  it("--merge=false refuses an existing file without --force, and replaces it with --force", async () => {
    const path = join(home, "kc");
    await writeFile(path, EXISTING);
    const refused = await run(home, path, "--merge=false");
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `error: kubeconfig file already exists, use --force to overwrite: "${path}"\n`);
    assert.equal(await readFile(path, "utf8"), EXISTING);
    const forced = await run(home, path, "--merge=false", "-f");
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(await readFile(path, "utf8"), /^apiVersion: v1\nkind: Config\nclusters:\n {4}- name: talos-default/);
    await rm(path);
  });

  it("refuses several nodes", async () => {
    const r = await runTalosctl(["--talosconfig", apid.talosconfig, "-n", "10.5.0.2,10.5.0.3", "kubeconfig", "."], {
      cwd: home,
    });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: command "kubeconfig" is not supported with multiple nodes\n');
  });
});
