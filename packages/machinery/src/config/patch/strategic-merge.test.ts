import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeConfig } from "../decode.ts";
import type { MachineConfig } from "../document.ts";
import { encodeConfig } from "../encode.ts";
import { ConfigError } from "../errors.ts";
import { any, bool, int, list, map, obj, str } from "../schema/dsl.ts";
import { MergeError, mergeValue, strategicMerge } from "./strategic-merge.ts";

type Obj = Record<string, any>;

const schema = obj({
  name: str(),
  count: int(),
  enabled: bool(),
  tags: list(str()),
  subnets: list(str(), { merge: "replace" }),
  labels: map(str()),
  settings: map(str(), { replace: true }),
  nested: obj({ a: str(), b: int(), flag: bool() }),
  whole: obj({ a: str(), b: str() }, { replace: true }),
  items: list(obj({ id: str(), value: str(), sub: list(str()) }), {
    merge: { match: (e, p) => (e as Obj)["id"] === (p as Obj)["id"] },
  }),
  free: any({ mapping: true }),
  audit: any({ mapping: true, replace: true }),
});

const deepFreeze = <T>(v: T): T => {
  if (typeof v === "object" && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
};

const m = (base: Obj, patch: Obj): Obj => mergeValue(deepFreeze(base), deepFreeze(patch), schema) as Obj;

describe("mergeValue (schema-driven strategic merge)", () => {
  it("overwrites scalars with non-zero patch values", () => {
    assert.deepEqual(m({ name: "a", count: 1 }, { name: "b", count: 2 }), { name: "b", count: 2 });
  });

  it("ignores zero-valued scalars in the patch (empty string, 0)", () => {
    assert.deepEqual(m({ name: "a", count: 5 }, { name: "", count: 0 }), { name: "a", count: 5 });
    assert.deepEqual(m({}, { name: "", count: 0 }), {});
  });

  it("always overwrites with booleans, false included", () => {
    assert.deepEqual(m({ enabled: true }, { enabled: false }), { enabled: false });
    assert.deepEqual(m({ enabled: false }, { enabled: true }), { enabled: true });
    assert.deepEqual(m({}, { enabled: false }), { enabled: false });
  });

  it("ignores absent and null patch values", () => {
    assert.deepEqual(m({ name: "a", tags: ["x"], nested: { a: "1" } }, {}), {
      name: "a",
      tags: ["x"],
      nested: { a: "1" },
    });
    assert.deepEqual(m({ name: "a" }, { name: null }), { name: "a" });
    assert.deepEqual(mergeValue({ name: "a" }, undefined, schema), { name: "a" });
  });

  it("merges objects field by field and takes absent sections from the patch as is", () => {
    assert.deepEqual(m({ nested: { a: "x", b: 1, flag: true } }, { nested: { b: 2 } }), {
      nested: { a: "x", b: 2, flag: true },
    });
    // A section missing on the left is set from the patch, zero values included (Go sets the pointer).
    assert.deepEqual(m({}, { nested: { a: "", b: 3 } }), { nested: { a: "", b: 3 } });
  });

  it("replaces objects marked replace", () => {
    assert.deepEqual(m({ whole: { a: "1", b: "2" } }, { whole: { a: "3" } }), { whole: { a: "3" } });
  });

  it("merges maps per key; new keys are added as is", () => {
    assert.deepEqual(m({ labels: { a: "1", b: "2" } }, { labels: { b: "3", c: "" } }), {
      labels: { a: "1", b: "3", c: "" },
    });
    // An empty string does not override an existing key (string zero value).
    assert.deepEqual(m({ labels: { a: "1" } }, { labels: { a: "" } }), { labels: { a: "1" } });
  });

  it("replaces maps marked replace", () => {
    assert.deepEqual(m({ settings: { a: "1", b: "2" } }, { settings: { c: "3" } }), { settings: { c: "3" } });
  });

  it("appends lists", () => {
    assert.deepEqual(m({ tags: ["a", "b"] }, { tags: ["b", "c"] }), { tags: ["a", "b", "b", "c"] });
    assert.deepEqual(m({}, { tags: ["x"] }), { tags: ["x"] });
    assert.deepEqual(m({ tags: ["a"] }, { tags: [] }), { tags: ["a"] });
  });

  it("replaces lists marked replace, an empty patch list included", () => {
    assert.deepEqual(m({ subnets: ["10.0.0.0/8"] }, { subnets: ["192.168.0.0/16"] }), { subnets: ["192.168.0.0/16"] });
    assert.deepEqual(m({ subnets: ["10.0.0.0/8"] }, { subnets: [] }), { subnets: [] });
  });

  it("merges keyed lists: matched items merge, others append", () => {
    const base = {
      items: [
        { id: "a", value: "1", sub: ["x"] },
        { id: "b", value: "2" },
      ],
    };
    const patch = {
      items: [
        { id: "b", value: "3", sub: ["y"] },
        { id: "c", value: "4" },
      ],
    };
    assert.deepEqual(m(base, patch), {
      items: [
        { id: "a", value: "1", sub: ["x"] },
        { id: "b", value: "3", sub: ["y"] },
        { id: "c", value: "4" },
      ],
    });
  });

  it("matches keyed patch items against items appended by earlier patch items", () => {
    const patch = {
      items: [
        { id: "n", value: "1" },
        { id: "n", sub: ["s"] },
      ],
    };
    assert.deepEqual(m({}, patch), { items: [{ id: "n", value: "1", sub: ["s"] }] });
  });

  it("merges free-form values deeply: mappings per key, lists append, zero scalars ignored", () => {
    const base = { free: { a: { b: 1, c: ["x"], d: "keep", e: true }, top: "t" } };
    const patch = { free: { a: { b: 2, c: ["y"], d: "", e: false, n: null }, extra: { z: 1 } } };
    assert.deepEqual(m(base, patch), {
      free: { a: { b: 2, c: ["x", "y"], d: "keep", e: false, n: null }, top: "t", extra: { z: 1 } },
    });
  });

  it("refuses free-form values of different types at the same key, naming the path", () => {
    assert.throws(
      () => m({ free: { a: { b: "text" } } }, { free: { a: { b: ["list"] } } }),
      (e: unknown) => {
        assert.ok(e instanceof MergeError);
        assert.deepEqual(e.path, ["free", "a", "b"]);
        assert.match(e.message, /cannot merge a list into string "text"/);
        return true;
      },
    );
  });

  it("replaces free-form values marked replace", () => {
    assert.deepEqual(m({ audit: { a: 1, b: [1] } }, { audit: { b: [2] } }), { audit: { b: [2] } });
  });

  it("never mutates or shares its inputs", () => {
    const base = { tags: ["a"], nested: { a: "x" }, free: { k: { v: [1] } } };
    const patch = { tags: ["b"], items: [{ id: "q", sub: ["s"] }], free: { k: { w: 2 } } };
    const out = mergeValue(deepFreeze(base), deepFreeze(patch), schema) as Obj;
    out["tags"].push("mutated");
    out["nested"]["a"] = "mutated";
    out["items"][0]["sub"].push("mutated");
    out["free"]["k"]["v"].push(9);
    assert.deepEqual(base, { tags: ["a"], nested: { a: "x" }, free: { k: { v: [1] } } });
  });
});

const WORKER = `version: v1alpha1
# the machine section
machine:
    type: worker # role
    token: abc
    certSANs:
        - 10.0.0.1
    network:
        interfaces:
            - interface: eth0
              addresses:
                  - 10.0.0.2/24
              vlans:
                  - vlanId: 10
                    mtu: 1400
                  - vlanId: 20
            - deviceSelector:
                  hardwareAddr: "aa:*"
              dhcp: true
    kubelet:
        extraArgs:
            rotate: "true"
        extraConfig:
            serverTLSBootstrap: true
            nested:
                list: [a]
    features:
        rbac: true
cluster:
    network:
        podSubnets:
            - 10.244.0.0/16
        serviceSubnets:
            - 10.96.0.0/12
    apiServer:
        admissionControl:
            - name: PodSecurity
              configuration:
                  apiVersion: pod-security.admission.config.k8s.io/v1alpha1
                  exemptions:
                      namespaces:
                          - kube-system
        auditPolicy:
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
                - level: Metadata
`;

const v1 = (cfg: MachineConfig): Obj => cfg.documents.find((d) => d.kind === "v1alpha1")!.value as Obj;
const patchWith = (base: string, patch: string): MachineConfig =>
  strategicMerge(decodeConfig(base, "base"), decodeConfig(patch, "patch"), "patch");

describe("strategicMerge on real v1alpha1 documents", () => {
  it("sets a hostname (the Talos docs example) and keeps comments on re-encoding", () => {
    const out = patchWith(WORKER, "machine:\n  network:\n    hostname: worker1\n");
    assert.equal(v1(out)["machine"]["network"]["hostname"], "worker1");
    assert.equal(v1(out)["machine"]["network"]["interfaces"].length, 2);
    const text = encodeConfig(out, { comments: "keep" });
    assert.match(text, /# the machine section/);
    assert.match(text, /type: worker # role/);
    assert.match(text, /hostname: worker1/);
  });

  it("appends plain lists (certSANs)", () => {
    const out = patchWith(WORKER, "machine:\n  certSANs: [10.0.0.9]\n");
    assert.deepEqual(v1(out)["machine"]["certSANs"], ["10.0.0.1", "10.0.0.9"]);
  });

  it("replaces podSubnets and serviceSubnets", () => {
    const out = patchWith(
      WORKER,
      "cluster:\n  network:\n    podSubnets: [192.168.0.0/16]\n    serviceSubnets: [192.0.0.0/12]\n",
    );
    assert.deepEqual(v1(out)["cluster"]["network"]["podSubnets"], ["192.168.0.0/16"]);
    assert.deepEqual(v1(out)["cluster"]["network"]["serviceSubnets"], ["192.0.0.0/12"]);
  });

  it("replaces the audit policy", () => {
    const out = patchWith(
      WORKER,
      "cluster:\n  apiServer:\n    auditPolicy:\n      apiVersion: audit.k8s.io/v1\n      kind: Policy\n      rules:\n        - level: None\n",
    );
    assert.deepEqual(v1(out)["cluster"]["apiServer"]["auditPolicy"], {
      apiVersion: "audit.k8s.io/v1",
      kind: "Policy",
      rules: [{ level: "None" }],
    });
  });

  it("merges interfaces by name, by device selector, and appends new ones", () => {
    const out = patchWith(
      WORKER,
      `machine:
  network:
    interfaces:
      - interface: eth0
        vip:
          ip: 10.0.0.50
      - deviceSelector:
          hardwareAddr: "aa:*"
        mtu: 9000
      - interface: eth1
        dhcp: true
`,
    );
    const ifaces = v1(out)["machine"]["network"]["interfaces"];
    assert.equal(ifaces.length, 3);
    assert.deepEqual(ifaces[0]["vip"], { ip: "10.0.0.50" });
    assert.deepEqual(ifaces[0]["addresses"], ["10.0.0.2/24"]);
    assert.equal(ifaces[1]["mtu"], 9000);
    assert.equal(ifaces[1]["dhcp"], true);
    assert.deepEqual(ifaces[2], { interface: "eth1", dhcp: true });
  });

  it("does not match a device selector that differs", () => {
    const out = patchWith(
      WORKER,
      'machine:\n  network:\n    interfaces:\n      - deviceSelector:\n          hardwareAddr: "bb:*"\n        dhcp: true\n',
    );
    assert.equal(v1(out)["machine"]["network"]["interfaces"].length, 3);
  });

  it("merges vlans by vlanId", () => {
    const out = patchWith(
      WORKER,
      "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        vlans:\n          - vlanId: 10\n            mtu: 1500\n            dhcp: true\n          - vlanId: 30\n",
    );
    const vlans = v1(out)["machine"]["network"]["interfaces"][0]["vlans"];
    assert.deepEqual(vlans, [{ vlanId: 10, mtu: 1500, dhcp: true }, { vlanId: 20 }, { vlanId: 30 }]);
  });

  it("merges admission plugins by name, their configuration deeply (the Talos docs example)", () => {
    const out = patchWith(
      WORKER,
      "cluster:\n  apiServer:\n    admissionControl:\n      - name: PodSecurity\n        configuration:\n          exemptions:\n            namespaces: [rook-ceph]\n",
    );
    const plugins = v1(out)["cluster"]["apiServer"]["admissionControl"];
    assert.equal(plugins.length, 1);
    assert.deepEqual(plugins[0]["configuration"], {
      apiVersion: "pod-security.admission.config.k8s.io/v1alpha1",
      exemptions: { namespaces: ["kube-system", "rook-ceph"] },
    });
  });

  it("merges free-form kubelet extraConfig deeply and string maps per key", () => {
    const out = patchWith(
      WORKER,
      "machine:\n  kubelet:\n    extraArgs:\n      node-labels: a=b\n    extraConfig:\n      serverTLSBootstrap: false\n      nested:\n        list: [b]\n",
    );
    const kubelet = v1(out)["machine"]["kubelet"];
    assert.deepEqual(kubelet["extraArgs"], { rotate: "true", "node-labels": "a=b" });
    assert.deepEqual(kubelet["extraConfig"], { serverTLSBootstrap: false, nested: { list: ["a", "b"] } });
  });

  it("overrides with false but ignores an empty string", () => {
    const out = patchWith(WORKER, 'machine:\n  token: ""\n  features:\n    rbac: false\n');
    assert.equal(v1(out)["machine"]["token"], "abc");
    assert.equal(v1(out)["machine"]["features"]["rbac"], false);
  });

  it("names the patch, document and field when free-form types clash", () => {
    assert.throws(
      () => patchWith(WORKER, "machine:\n  kubelet:\n    extraConfig:\n      serverTLSBootstrap: [x]\n"),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.source, "patch");
        assert.match(e.message, /^patch: patch does not apply/);
        assert.match(
          e.message,
          /machine\.kubelet\.extraConfig\.serverTLSBootstrap: cannot merge a list into bool true/,
        );
        return true;
      },
    );
  });

  it("leaves the input configs untouched", () => {
    const base = decodeConfig(WORKER, "base");
    const patch = decodeConfig("machine:\n  certSANs: [1.2.3.4]\n  network:\n    hostname: h\n", "p");
    const before = structuredClone(base.documents.map((d) => d.value));
    const patchBefore = structuredClone(patch.documents.map((d) => d.value));
    const out = strategicMerge(base, patch, "p");
    (v1(out)["machine"]["certSANs"] as string[]).push("x");
    assert.deepEqual(
      base.documents.map((d) => d.value),
      before,
    );
    assert.deepEqual(
      patch.documents.map((d) => d.value),
      patchBefore,
    );
  });
});

const MULTIDOC = `version: v1alpha1
machine:
    type: worker
---
apiVersion: v1alpha1
kind: NetworkRuleConfig
name: ingress-http
portSelector:
    ports:
        - 80
    protocol: tcp
ingress:
    - subnet: 10.0.0.0/8
---
apiVersion: v1alpha1
kind: KmsgLogConfig
name: remote
url: tcp://10.0.0.1:3000
`;

describe("strategicMerge on multi-document configs", () => {
  it("merges documents with the same apiVersion/kind/name and appends the rest", () => {
    const out = patchWith(
      MULTIDOC,
      `apiVersion: v1alpha1
kind: NetworkRuleConfig
name: ingress-http
portSelector:
    ports: [443]
ingress:
    - subnet: 192.168.0.0/16
---
apiVersion: v1alpha1
kind: KmsgLogConfig
name: other
url: tcp://10.0.0.2:3000
---
machine:
    network:
        hostname: w1
`,
    );
    assert.deepEqual(
      out.documents.map((d) => [d.kind, d.name]),
      [
        ["v1alpha1", undefined],
        ["NetworkRuleConfig", "ingress-http"],
        ["KmsgLogConfig", "remote"],
        ["KmsgLogConfig", "other"],
      ],
    );
    const rule = out.documents[1]!.value as Obj;
    // ports and ingress are merge:"replace" in Talos.
    assert.deepEqual(rule["portSelector"], { ports: [443], protocol: "tcp" });
    assert.deepEqual(rule["ingress"], [{ subnet: "192.168.0.0/16" }]);
    assert.equal(v1(out)["machine"]["network"]["hostname"], "w1");
  });

  it("puts an added v1alpha1 document first", () => {
    const base = decodeConfig(
      "apiVersion: v1alpha1\nkind: SideroLinkConfig\napiUrl: https://siderolink.example:8099\n",
      "b",
    );
    const out = strategicMerge(base, decodeConfig("machine:\n  type: worker\n", "p"), "p");
    assert.deepEqual(
      out.documents.map((d) => d.kind),
      ["v1alpha1", "SideroLinkConfig"],
    );
  });
});
