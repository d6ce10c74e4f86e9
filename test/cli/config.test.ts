import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { runTalosctl, tempDir } from "./harness.ts";

/** A talosconfig with one context, as `talosctl gen config` writes it (credentials shortened). */
function talosconfig(name: string, endpoint: string): string {
  return [
    `context: ${name}`,
    "contexts:",
    `    ${name}:`,
    "        endpoints:",
    `            - ${endpoint}`,
    "        ca: Q0E=",
    "        crt: Q1JU",
    "        key: S0VZ",
    "",
  ].join("\n");
}

describe("talosctl config", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let cwd: string;
  let defaultConfig: string;
  let n = 0;

  before(async () => {
    dir = await tempDir();
  });
  after(async () => dir.cleanup());
  beforeEach(async () => {
    // A fresh HOME per test: ~/.talos/config lands in it.
    cwd = join(dir.path, `t${n++}`);
    await mkdir(cwd);
    defaultConfig = join(cwd, ".talos", "config");
    await writeFile(join(cwd, "demo.yaml"), talosconfig("demo", "10.5.0.2"));
    await writeFile(join(cwd, "prod.yaml"), talosconfig("prod", "192.168.1.10"));
  });

  const run = (args: string[], env?: Record<string, string | undefined>, input?: string) =>
    runTalosctl(args, { cwd, ...(env !== undefined ? { env } : {}), ...(input !== undefined ? { input } : {}) });

  it("merge adds the contexts to the default talosconfig, created 0600 in a 0700 directory", async () => {
    const r = await run(["config", "merge", "demo.yaml"]);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "");
    assert.equal(r.code, 0);
    assert.equal(await readFile(defaultConfig, "utf8"), talosconfig("demo", "10.5.0.2"));
    assert.equal((await stat(defaultConfig)).mode & 0o777, 0o600);
    assert.equal((await stat(join(cwd, ".talos"))).mode & 0o777, 0o700);

    const again = await run(["config", "merge", "prod.yaml"]);
    assert.equal(again.code, 0, again.stderr);
    const text = await readFile(defaultConfig, "utf8");
    assert.match(
      text,
      /^context: prod\ncontexts:\n {4}demo:\n[\s\S]* {4}prod:\n {8}endpoints:\n {12}- 192\.168\.1\.10\n/,
    );
  });

  it("merging the same file twice renames the context and says so", async () => {
    assert.equal((await run(["config", "merge", "demo.yaml"])).code, 0);
    const r = await run(["config", "merge", "demo.yaml"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'renamed talosconfig context "demo" -> "demo-1"\n');
    const third = await run(["config", "merge", "demo.yaml"]);
    assert.equal(third.stderr, 'renamed talosconfig context "demo" -> "demo-2"\n');
    const list = await run(["config", "contexts"]);
    assert.equal(
      list.stdout,
      [
        "CURRENT   NAME     ENDPOINTS   NODES",
        "          demo     10.5.0.2    ",
        "          demo-1   10.5.0.2    ",
        "*         demo-2   10.5.0.2    ",
        "",
      ].join("\n"),
    );
  });

  it("config endpoint and config node set the lists of the current context, or of --context", async () => {
    await run(["config", "merge", "demo.yaml"]);
    await run(["config", "merge", "prod.yaml"]);
    let r = await run(["config", "endpoint", "1.1.1.1", " 2.2.2.2 "]);
    assert.equal(r.code, 0, r.stderr);
    r = await run(["config", "nodes", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]);
    assert.equal(r.code, 0, r.stderr);
    r = await run(["--context", "demo", "config", "endpoints", "3.3.3.3"]);
    assert.equal(r.code, 0, r.stderr);
    r = await run(["config", "node", "10.9.9.9", "--context", "demo"]);
    assert.equal(r.code, 0, r.stderr);
    const list = await run(["config", "get-contexts"]);
    assert.equal(
      list.stdout,
      [
        "CURRENT   NAME   ENDPOINTS         NODES",
        "          demo   3.3.3.3           10.9.9.9",
        "*         prod   1.1.1.1,2.2.2.2   10.0.0.1,10.0.0.2,10.0.0.3...",
        "",
      ].join("\n"),
    );
    // No arguments clears the nodes (the key disappears from the file).
    r = await run(["config", "node"]);
    assert.equal(r.code, 0, r.stderr);
    const text = await readFile(defaultConfig, "utf8");
    assert.match(text, / {4}prod:\n {8}endpoints:\n {12}- 1\.1\.1\.1\n {12}- 2\.2\.2\.2\n {8}ca: Q0E=\n/);
    assert.match(text, / {4}demo:\n {8}endpoints:\n {12}- 3\.3\.3\.3\n {8}nodes:\n {12}- 10\.9\.9\.9\n/);
    assert.equal((await stat(defaultConfig)).mode & 0o777, 0o600);
  });

  it("config endpoint needs at least one endpoint and an existing context", async () => {
    let r = await run(["config", "endpoint"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /missing required argument 'endpoint'/);
    r = await run(["config", "endpoint", "1.1.1.1"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: no context is set in ${defaultConfig}; it defines no contexts (add one with "talosctl config merge" or "talosctl config add")\n`,
    );
    await run(["config", "merge", "demo.yaml"]);
    r = await run(["--context", "nope", "config", "endpoint", "1.1.1.1"]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: context "nope" is not defined in ${defaultConfig}; known contexts: "demo"\n`);
  });

  it("config context switches the current context and refuses unknown names", async () => {
    await run(["config", "merge", "demo.yaml"]);
    await run(["config", "merge", "prod.yaml"]);
    let r = await run(["config", "context", "demo"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(await readFile(defaultConfig, "utf8"), /^context: demo\n/);
    r = await run(["config", "use-context", "staging"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `error: context "staging" is not defined in ${defaultConfig}; known contexts: "demo", "prod"\n`,
    );
    assert.match(await readFile(defaultConfig, "utf8"), /^context: demo\n/);
    r = await run(["config", "context", ""]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "error: no context specified\n");
    const list = await run(["config", "contexts"]);
    assert.match(list.stdout, /\n\* +demo +10\.5\.0\.2 +\n +prod /);
  });

  it("honours --talosconfig and $TALOSCONFIG", async () => {
    const custom = join(cwd, "custom", "talosconfig");
    let r = await run(["--talosconfig", custom, "config", "merge", "demo.yaml"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(custom, "utf8"), talosconfig("demo", "10.5.0.2"));
    await assert.rejects(stat(defaultConfig));

    // An existing $TALOSCONFIG file is used and written back.
    r = await run(["config", "endpoint", "7.7.7.7"], { TALOSCONFIG: custom });
    assert.equal(r.code, 0, r.stderr);
    assert.match(await readFile(custom, "utf8"), /- 7\.7\.7\.7\n/);
    await assert.rejects(stat(defaultConfig));

    // A missing $TALOSCONFIG falls through to an existing ~/.talos/config ...
    r = await run(["config", "merge", "prod.yaml"]);
    assert.equal(r.code, 0, r.stderr);
    r = await run(["config", "endpoint", "8.8.8.8"], { TALOSCONFIG: join(cwd, "missing") });
    assert.equal(r.code, 0, r.stderr);
    assert.match(await readFile(defaultConfig, "utf8"), /^context: prod\n[\s\S]*- 8\.8\.8\.8\n/);
    await assert.rejects(stat(join(cwd, "missing")));
  });

  it("creates $TALOSCONFIG when no talosconfig exists yet", async () => {
    const fromEnv = join(cwd, "env", "talosconfig");
    const r = await run(["config", "merge", "demo.yaml"], { TALOSCONFIG: fromEnv });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(fromEnv, "utf8"), talosconfig("demo", "10.5.0.2"));
    assert.equal((await stat(fromEnv)).mode & 0o777, 0o600);
    await assert.rejects(stat(defaultConfig));
  });

  it("a malformed talosconfig fails with the file and the field path", async () => {
    await mkdir(join(cwd, ".talos"), { recursive: true });
    await writeFile(
      defaultConfig,
      "context: demo\ncontexts:\n    demo:\n        endpoints: 10.5.0.2\n        node: [a]\n",
    );
    for (const args of [
      ["config", "contexts"],
      ["config", "endpoint", "1.1.1.1"],
      ["config", "info"],
    ]) {
      const r = await run(args);
      assert.equal(r.code, 1, args.join(" "));
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        `error: error reading config: ${defaultConfig}: invalid talosconfig:\n` +
          '  * contexts.demo.endpoints: expected a list of strings, got "10.5.0.2" (line 4:20)\n' +
          '  * contexts.demo.node: unknown field "node" (line 5:9) (expected one of: target, endpoints, nodes, ca, crt, key, auth, cluster)\n',
      );
    }
    // The file is left alone.
    assert.match(await readFile(defaultConfig, "utf8"), /node: \[a\]/);
  });

  it("a malformed file to merge is named in the error", async () => {
    await writeFile(join(cwd, "bad.yaml"), "context: x\ncontexts:\n  x: [1]\n");
    const r = await run(["config", "merge", "bad.yaml"]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: error reading config: bad\.yaml: invalid talosconfig:\n {2}\* contexts\.x: expected a mapping, got a list/,
    );
    await assert.rejects(stat(defaultConfig));

    const missing = await run(["config", "merge", "nope.yaml"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, "error: error reading config: cannot read nope.yaml: no such file\n");
  });

  describe("with certificates", () => {
    const notAfter = (pem: string) => new X509Certificate(pem).validToDate;

    it("config add stores the files base64-encoded; config info shows roles and expiry", async () => {
      openssl(cwd, ["genpkey", "-algorithm", "ed25519", "-out", "client.key"]);
      openssl(cwd, [
        "req",
        "-x509",
        "-new",
        "-key",
        "client.key",
        "-subj",
        "/O=os:reader/O=os:admin",
        "-days",
        "365",
        "-out",
        "client.crt",
      ]);
      await writeFile(join(cwd, "ca.crt"), await readFile(join(cwd, "client.crt")));

      let r = await run(["config", "add", "lab", "--ca", "ca.crt", "--crt", "client.crt", "--key", "client.key"]);
      assert.equal(r.code, 0, r.stderr);
      const crt = await readFile(join(cwd, "client.crt"), "utf8");
      const key = await readFile(join(cwd, "client.key"), "utf8");
      assert.equal(
        await readFile(defaultConfig, "utf8"),
        [
          'context: ""',
          "contexts:",
          "    lab:",
          "        endpoints: []",
          `        ca: ${Buffer.from(crt).toString("base64")}`,
          `        crt: ${Buffer.from(crt).toString("base64")}`,
          `        key: ${Buffer.from(key).toString("base64")}`,
          "",
        ].join("\n"),
      );

      await run(["config", "context", "lab"]);
      await run(["config", "endpoint", "10.0.0.1", "10.0.0.2"]);
      r = await run(["config", "info"]);
      assert.equal(r.code, 0, r.stderr);
      const date = notAfter(crt).toISOString().slice(0, 10);
      assert.equal(
        r.stdout,
        [
          "Current context:     lab",
          "Nodes:               not defined",
          "Endpoints:           10.0.0.1, 10.0.0.2",
          "Roles:               os:admin, os:reader",
          `Certificate expires: 1 year from now (${date})`,
          "",
        ].join("\n"),
      );
      r = await run(["config", "info", "-o", "json"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), {
        context: "lab",
        nodes: null,
        endpoints: ["10.0.0.1", "10.0.0.2"],
        roles: ["os:admin", "os:reader"],
        certTTL: "1 year from now",
        certNotAfter: date,
      });
      r = await run(["config", "info", "-o", "yaml"]);
      assert.equal(
        r.stdout,
        `context: lab\nnodes: []\nendpoints:\n    - 10.0.0.1\n    - 10.0.0.2\nroles:\n    - os:admin\n    - os:reader\ncertTTL: 1 year from now\ncertNotAfter: "${date}"\n`,
      );
      r = await run(["config", "info", "-o", "table"]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'error: unknown output format: "table"\n');
    });

    it("config add needs both --crt and --key, and readable files", async () => {
      let r = await run(["config", "add", "x", "--crt", "demo.yaml"]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, "error: if either the 'crt' or 'key' flag is specified, both are required\n");
      r = await run(["config", "add", "x", "--ca", "nope.crt"]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, "error: error reading CA: nope.crt: no such file\n");
      await assert.rejects(stat(defaultConfig));
    });

    it("config info without a certificate omits roles and expiry", async () => {
      await writeFile(
        join(cwd, "plain.yaml"),
        "context: p\ncontexts:\n  p:\n    endpoints: [1.1.1.1]\n    nodes: [2.2.2.2]\n",
      );
      await run(["config", "merge", "plain.yaml"]);
      const r = await run(["config", "info"]);
      assert.equal(r.stdout, "Current context:     p\nNodes:               2.2.2.2\nEndpoints:           1.1.1.1\n");
    });
  });

  describe("config remove", () => {
    beforeEach(async () => {
      for (const name of ["dev-1", "dev-2", "prod"]) {
        await writeFile(join(cwd, `${name}.yaml`), talosconfig(name, "1.1.1.1"));
        await run(["config", "merge", `${name}.yaml`]);
      }
      await run(["config", "context", "dev-1"]);
    });
    const names = async () =>
      (await run(["config", "contexts"])).stdout
        .split("\n")
        .slice(1, -1)
        .map((l) => l.slice(10).split(" ")[0]);

    it("removes matching contexts with --noconfirm, never the current one", async () => {
      const r = await run(["config", "remove", "dev-*", "-y"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stderr,
        'skipping removal of current context "dev-1", please change it to another before removing\nremoving context "dev-2"\n',
      );
      assert.deepEqual(await names(), ["dev-1", "prod"]);
    });

    it("asks for each context", async () => {
      const r = await run(["config", "remove", "*"], undefined, "yes\nn\n");
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'remove context "dev-2"? (y/N): remove context "prod"? (y/N): ');
      assert.deepEqual(await names(), ["dev-1", "prod"]);
    });

    it("changes nothing on --dry-run, and fails when nothing matches", async () => {
      let r = await run(["config", "remove", "prod", "--noconfirm", "--dry-run"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await names(), ["dev-1", "dev-2", "prod"]);
      r = await run(["config", "remove", "staging*"]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'error: no contexts matched "staging*"\n');
    });
  });
});

function openssl(cwd: string, args: string[]): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}
