import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeConfig } from "../decode.ts";
import type { MachineConfig } from "../document.ts";
import { encodeConfig } from "../encode.ts";
import { ConfigError } from "../errors.ts";
import { applyJsonPatch, type JsonPatch } from "./json-patch.ts";

type Obj = Record<string, any>;

const BASE = `version: v1alpha1
machine:
    type: worker # the role
    network:
        interfaces:
            - interface: eth0
              dhcp: true
    certSANs:
        - 10.0.0.1
        - 10.0.0.2
cluster:
    network:
        podSubnets:
            - 10.244.0.0/16
`;

const patchOf = (ops: object[], source = "--patch"): JsonPatch => ({
  type: "json6902",
  operations: ops.map((operation, index) => ({ operation: operation as Obj, source, index })),
});
const apply = (ops: object[], base = BASE): MachineConfig => applyJsonPatch(decodeConfig(base, "base"), patchOf(ops));
const value = (cfg: MachineConfig): Obj => cfg.documents[0]!.value as Obj;

const rejects = (fn: () => unknown, pattern: RegExp): void => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
};

describe("applyJsonPatch", () => {
  it("adds /machine/network/hostname and keeps comments on re-encoding", () => {
    const out = apply([{ op: "add", path: "/machine/network/hostname", value: "worker1" }]);
    assert.equal(value(out)["machine"]["network"]["hostname"], "worker1");
    const text = encodeConfig(out, { comments: "keep" });
    assert.match(text, /type: worker # the role/);
    assert.match(text, /hostname: worker1/);
  });

  it("replaces, removes, appends with /- and tests", () => {
    const out = apply([
      { op: "replace", path: "/cluster/network/podSubnets", value: ["192.168.0.0/16"] },
      { op: "remove", path: "/machine/certSANs/0" },
      { op: "add", path: "/machine/network/interfaces/-", value: { interface: "eth1", dhcp: true } },
      { op: "add", path: "/machine/network/interfaces/0/vip", value: { ip: "10.0.0.50" } },
      { op: "test", path: "/machine/type", value: "worker" },
    ]);
    const v = value(out);
    assert.deepEqual(v["cluster"]["network"]["podSubnets"], ["192.168.0.0/16"]);
    assert.deepEqual(v["machine"]["certSANs"], ["10.0.0.2"]);
    assert.deepEqual(v["machine"]["network"]["interfaces"], [
      { interface: "eth0", dhcp: true, vip: { ip: "10.0.0.50" } },
      { interface: "eth1", dhcp: true },
    ]);
  });

  it("removes a whole section", () => {
    const out = apply([{ op: "remove", path: "/cluster" }]);
    assert.equal(value(out)["cluster"], undefined);
  });

  it("reports a path that does not exist with the operation's position, op and path", () => {
    rejects(
      () => apply([{ op: "replace", path: "/machine/foo", value: 1 }]),
      /^--patch: patch does not apply:\n {2}\* patch operation 1 \(replace \/machine\/foo\): path not found$/,
    );
    rejects(
      () => apply([{ op: "remove", path: "/machine/kubelet" }]),
      /patch operation 1 \(remove \/machine\/kubelet\): path not found/,
    );
    rejects(
      () => apply([{ op: "add", path: "/machine/kubelet/nodeIP/validSubnets", value: [] }]),
      /parent path not found/,
    );
  });

  it("reports failed tests with the value found", () => {
    rejects(
      () =>
        apply([
          { op: "add", path: "/machine/network/hostname", value: "a" },
          { op: "test", path: "/machine/type", value: "controlplane" },
        ]),
      /patch operation 2 \(test \/machine\/type\): test failed: value is "worker", expected "controlplane"/,
    );
    rejects(() => apply([{ op: "test", path: "/machine/nope", value: 1 }]), /test failed: path not found/);
  });

  it("reports malformed operations", () => {
    rejects(
      () => apply([{ op: "frobnicate", path: "/machine" }]),
      /patch operation 1 \(frobnicate \/machine\): unknown op "frobnicate"/,
    );
    rejects(() => apply([{ path: "/machine" }]), /\(<no op> \/machine\): missing op/);
    rejects(() => apply([{ op: "add", path: "/machine/network/hostname" }]), /missing value/);
    rejects(() => apply([{ op: "add", path: "/machine/certSANs/9", value: "x" }]), /list index out of range/);
    rejects(() => apply([{ op: "add", path: "/__proto__/polluted", value: 1 }]), /__proto__/);
    assert.equal(({} as Obj)["polluted"], undefined);
  });

  it("checks the patched document strictly against the schema", () => {
    rejects(
      () => apply([{ op: "add", path: "/machine/network/hostnam", value: "x" }]),
      /--patch: patched machine config is invalid:\n {2}\* machine\.network\.hostnam: unknown field "hostnam"/,
    );
    rejects(
      () => apply([{ op: "replace", path: "/machine/network/interfaces/0/dhcp", value: "maybe" }]),
      /interfaces\[0\]\.dhcp: expected bool/,
    );
    rejects(() => apply([{ op: "remove", path: "" }]), /the document must be a mapping/);
  });

  it("refuses multi-document configs with Talos's message", () => {
    const multi = `${BASE}---\napiVersion: v1alpha1\nkind: SideroLinkConfig\napiUrl: https://siderolink.example:8099\n`;
    rejects(
      () => apply([{ op: "add", path: "/machine/network/hostname", value: "w" }], multi),
      /^--patch: JSON6902 patches are not supported for multi-document machine configuration$/,
    );
  });

  it("patches a lone typed document and keeps its identity", () => {
    const out = apply(
      [{ op: "replace", path: "/apiUrl", value: "https://other.example:8099" }],
      "apiVersion: v1alpha1\nkind: SideroLinkConfig\napiUrl: https://siderolink.example:8099\n",
    );
    assert.equal(out.documents[0]!.kind, "SideroLinkConfig");
    assert.equal(out.documents[0]!.apiVersion, "v1alpha1");
    assert.equal(value(out)["apiUrl"], "https://other.example:8099");
  });

  it("never mutates the config or the patch", () => {
    const base = decodeConfig(BASE, "base");
    const before = structuredClone(base.documents[0]!.value);
    const inserted = { interface: "eth9" };
    const patch = patchOf([
      { op: "add", path: "/machine/network/interfaces/-", value: inserted },
      { op: "add", path: "/machine/network/interfaces/1/dhcp", value: true },
    ]);
    applyJsonPatch(base, patch);
    assert.deepEqual(base.documents[0]!.value, before);
    assert.deepEqual(inserted, { interface: "eth9" });
  });

  it("names the source of the failing operation in a concatenated patch", () => {
    const patch: JsonPatch = {
      type: "json6902",
      operations: [
        { operation: { op: "add", path: "/machine/network/hostname", value: "a" }, source: "@a.json", index: 0 },
        { operation: { op: "remove", path: "/machine/nope" }, source: "@b.yaml", index: 0 },
      ],
    };
    rejects(
      () => applyJsonPatch(decodeConfig(BASE), patch),
      /^@b\.yaml: patch does not apply:\n {2}\* patch operation 1 \(remove \/machine\/nope\)/,
    );
  });
});
