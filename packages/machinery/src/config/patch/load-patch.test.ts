import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeConfig } from "../decode.ts";
import { ConfigError } from "../errors.ts";
import { applyPatches, loadPatch, loadPatches } from "./load-patch.ts";

type Obj = Record<string, any>;

const rejects = (fn: () => unknown, pattern: RegExp): void => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
};

describe("loadPatch format detection", () => {
  it("reads a partial machine config as a strategic merge patch", () => {
    const p = loadPatch("machine:\n  network:\n    hostname: worker1\n", "@worker1.patch");
    assert.equal(p.type, "strategic-merge");
    assert.ok(p.type === "strategic-merge");
    assert.equal(p.source, "@worker1.patch");
    assert.deepEqual(p.config.documents[0]!.value, { machine: { network: { hostname: "worker1" } } });
  });

  it("reads multi-document strategic patches", () => {
    const p = loadPatch(
      "machine:\n  type: worker\n---\napiVersion: v1alpha1\nkind: NetworkDefaultActionConfig\ningress: block\n",
      "p",
    );
    assert.ok(p.type === "strategic-merge");
    assert.deepEqual(
      p.config.documents.map((d) => d.kind),
      ["v1alpha1", "NetworkDefaultActionConfig"],
    );
  });

  it("reads a JSON object as a strategic merge patch", () => {
    assert.equal(loadPatch('{"machine": {"network": {"hostname": "w"}}}', "p").type, "strategic-merge");
  });

  it("reads a JSON array as a JSON patch", () => {
    const p = loadPatch('[{"op": "add", "path": "/machine/network/hostname", "value": "worker1"}]', "--patch");
    assert.ok(p.type === "json6902");
    assert.deepEqual(p.operations, [
      { operation: { op: "add", path: "/machine/network/hostname", value: "worker1" }, source: "--patch", index: 0 },
    ]);
  });

  it("reads a YAML list of operations as a JSON patch, with Go's scalar typing", () => {
    const p = loadPatch(
      "- op: add\n  path: /machine/files/-\n  value:\n    path: /a\n    permissions: 0644\n    content: yes\n",
      "@p.yaml",
    );
    assert.ok(p.type === "json6902");
    assert.deepEqual(p.operations[0]!.operation, {
      op: "add",
      path: "/machine/files/-",
      value: { path: "/a", permissions: 0o644, content: "yes" },
    });
  });

  it("reports the strategic merge error, with the field path, for a bad mapping", () => {
    rejects(
      () => loadPatch("machine:\n  network:\n    hostnme: worker1\n", "@worker1.patch"),
      /^@worker1\.patch: invalid config patch:\n {2}\* machine\.network\.hostnme: unknown field "hostnme" \(did you mean "hostname"\?\)/,
    );
    rejects(() => loadPatch("just some words\n", "--config-patch"), /^--config-patch: invalid config patch/);
  });

  it("reports the JSON error for text that looks like broken JSON", () => {
    rejects(() => loadPatch('[{"op": "add", "path": ', "--patch"), /^--patch: invalid JSON patch: /);
  });

  it("treats an empty patch as a no-op strategic merge", () => {
    const p = loadPatch("", "p");
    assert.ok(p.type === "strategic-merge");
    assert.equal(p.config.documents.length, 0);
  });
});

describe("loadPatches", () => {
  it("concatenates consecutive JSON patches and keeps each operation's source", () => {
    const patches = loadPatches([
      { text: '[{"op": "add", "path": "/machine/network/hostname", "value": "a"}]', source: "@a.json" },
      { text: "- op: remove\n  path: /machine/certSANs\n", source: "@b.yaml" },
      { text: "machine:\n  type: worker\n", source: "@c.yaml" },
      { text: '[{"op": "add", "path": "/debug", "value": true}]', source: "@d.json" },
    ]);
    assert.deepEqual(
      patches.map((p) => p.type),
      ["json6902", "strategic-merge", "json6902"],
    );
    const first = patches[0]!;
    assert.ok(first.type === "json6902");
    assert.deepEqual(
      first.operations.map((o) => [o.source, o.index]),
      [
        ["@a.json", 0],
        ["@b.yaml", 0],
      ],
    );
  });

  it("names the patch that fails to load", () => {
    rejects(
      () =>
        loadPatches([
          { text: "machine:\n  type: worker\n", source: "@ok.yaml" },
          { text: "machine:\n  bogus: 1\n", source: "@bad.yaml" },
        ]),
      /^@bad\.yaml: invalid config patch:\n {2}\* machine\.bogus: unknown field "bogus"/,
    );
  });
});

describe("applyPatches", () => {
  const base = "version: v1alpha1\nmachine:\n    type: worker\n    certSANs: [10.0.0.1]\n";

  it("applies strategic and JSON patches in order", () => {
    const patches = loadPatches([
      { text: "machine:\n  certSANs: [10.0.0.2]\n", source: "a" },
      { text: '[{"op": "remove", "path": "/machine/certSANs/0"}]', source: "b" },
      { text: "machine:\n  network:\n    hostname: w1\n", source: "c" },
    ]);
    const out = applyPatches(decodeConfig(base, "base"), patches);
    assert.deepEqual(out.documents[0]!.value as Obj, {
      version: "v1alpha1",
      machine: { type: "worker", certSANs: ["10.0.0.2"], network: { hostname: "w1" } },
    });
  });

  it("names the patch that does not apply and the path", () => {
    const patches = loadPatches([
      { text: "machine:\n  type: worker\n", source: "@first.yaml" },
      { text: '[{"op": "replace", "path": "/machine/foo", "value": 1}]', source: "@second.json" },
    ]);
    rejects(
      () => applyPatches(decodeConfig(base), patches),
      /^@second\.json: patch does not apply:\n.*patch operation 1 \(replace \/machine\/foo\): path not found/,
    );
  });

  it("returns the config unchanged without patches", () => {
    const cfg = decodeConfig(base);
    assert.equal(applyPatches(cfg, []), cfg);
  });
});
