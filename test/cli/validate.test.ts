import assert from "node:assert/strict";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { repoRoot, runTalosctl, tempDir } from "./harness.ts";

const testdata = join(repoRoot, "packages/machinery/src/config/testdata");

describe("talosctl validate", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  before(async () => {
    dir = await tempDir();
    await copyFile(join(testdata, "controlplane.yaml"), join(dir.path, "controlplane.yaml"));
    await copyFile(join(testdata, "worker.yaml"), join(dir.path, "worker.yaml"));
    await copyFile(join(testdata, "multidoc.yaml"), join(dir.path, "multidoc.yaml"));
  });
  after(async () => dir.cleanup());

  for (const mode of ["metal", "cloud", "container"]) {
    it(`accepts the generated control plane config in ${mode} mode`, async () => {
      const r = await runTalosctl(["validate", "--config", "controlplane.yaml", "--mode", mode], { cwd: dir.path });
      assert.equal(r.stderr, "");
      assert.equal(r.stdout, `controlplane.yaml is valid for ${mode} mode\n`);
      assert.equal(r.code, 0);
    });
  }

  it("accepts short flags and multi-document configs", async () => {
    const r = await runTalosctl(["validate", "-c", "multidoc.yaml", "-m", "metal"], { cwd: dir.path });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "multidoc.yaml is valid for metal mode\n");
  });

  it("fails with every problem listed, naming the file and field paths", async () => {
    const bad = (await readFile(join(testdata, "worker.yaml"), "utf8"))
      .replace("persist: true", "persist: false")
      .replace("        disk: /dev/sda # Disk to install Talos to.\n", "");
    await writeFile(join(dir.path, "bad.yaml"), bad);
    const r = await runTalosctl(["validate", "-c", "bad.yaml", "-m", "metal"], { cwd: dir.path });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^error: bad\.yaml: invalid configuration for metal mode:\n/);
    assert.match(r.stderr, /\* machine\.install: either install disk or diskSelector should be defined\n/);
    assert.match(r.stderr, /\* persist: \.persist should be enabled\n/);
    // The same config has no install requirement in container mode, but persist still fails.
    const c = await runTalosctl(["validate", "-c", "bad.yaml", "-m", "container"], { cwd: dir.path });
    assert.equal(c.code, 1);
    assert.doesNotMatch(c.stderr, /install disk/);
  });

  it("reports decode errors with the file, path and expectation", async () => {
    await writeFile(join(dir.path, "typo.yaml"), "machine:\n    type: worker\n    instal:\n        disk: /dev/sda\n");
    const r = await runTalosctl(["validate", "-c", "typo.yaml", "-m", "metal"], { cwd: dir.path });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: typo\.yaml: invalid configuration:\n {2}\* machine\.instal: unknown field "instal" \(did you mean "install"\?\)/,
    );
  });

  it("names the field and the expectation for a bad CIDR, a wrong type and a malformed endpoint", async () => {
    const good = await readFile(join(testdata, "controlplane.yaml"), "utf8");
    const cases: [string, string, string, RegExp][] = [
      [
        "cidr.yaml",
        "- 10.244.0.0/16",
        "- 10.244.0.0/33",
        /\* cluster\.network\.podSubnets\[0\]: pod subnet "10\.244\.0\.0\/33" is not a valid CIDR/,
      ],
      [
        "type.yaml",
        "debug: false",
        "debug: maybe",
        /\* debug: expected bool \(true or false\), got string "maybe" \(line \d+:\d+\)/,
      ],
      [
        "endpoint.yaml",
        "endpoint: https://",
        'endpoint: "https://[::1:6443" # ',
        /\* cluster\.controlPlane\.endpoint: invalid URL: parse "https:\/\/\[::1:6443": missing '\]' in host/,
      ],
    ];
    for (const [file, from, to, message] of cases) {
      assert.ok(good.includes(from), `fixture lacks ${from}`);
      await writeFile(join(dir.path, file), good.replace(from, to));
      const r = await runTalosctl(["validate", "-c", file, "-m", "metal"], { cwd: dir.path });
      assert.equal(r.code, 1, file);
      assert.match(r.stderr, new RegExp(`^error: ${file.replace(".", "\\.")}: invalid configuration`));
      assert.match(r.stderr, message);
    }
  });

  it("prints warnings, and --strict turns them into errors", async () => {
    const text = await readFile(join(testdata, "worker.yaml"), "utf8");
    await writeFile(join(dir.path, "join.yaml"), text.replace("type: worker", "type: join"));
    const r = await runTalosctl(["validate", "-c", "join.yaml", "-m", "metal"], { cwd: dir.path });
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'WARNING: machine.type: use "worker" instead of "join" for machine type\n');
    assert.equal(r.stdout, "join.yaml is valid for metal mode\n");
    const s = await runTalosctl(["validate", "-c", "join.yaml", "-m", "metal", "--strict"], { cwd: dir.path });
    assert.equal(s.code, 1);
    assert.match(s.stderr, /\* machine\.type: warning: use "worker" instead of "join" for machine type/);
    assert.equal(s.stdout, "");
  });

  it("names an unreadable file", async () => {
    const r = await runTalosctl(["validate", "-c", "missing.yaml", "-m", "metal"], { cwd: dir.path });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "error: --config: cannot read missing.yaml: no such file\n");
  });

  it("rejects an unknown mode and requires --mode", async () => {
    const r = await runTalosctl(["validate", "-c", "worker.yaml", "-m", "baremetal"], { cwd: dir.path });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: unknown runtime mode: "baremetal"\n');
    const m = await runTalosctl(["validate", "-c", "worker.yaml"], { cwd: dir.path });
    assert.equal(m.code, 1);
    assert.match(m.stderr, /--mode/);
  });
});
