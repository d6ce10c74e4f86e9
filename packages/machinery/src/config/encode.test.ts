import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { decodeConfig } from "./decode.ts";
import type { ConfigDocument, MachineConfig } from "./document.ts";
import { encodeConfig } from "./encode.ts";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

type Obj = Record<string, any>;

/** Decodes, lets `edit` change a copy of document `index`'s value, and encodes with comments kept. */
function editAndEncode(text: string, edit: (v: Obj) => void, index = 0): string {
  const cfg = decodeConfig(text);
  const documents = cfg.documents.map((d, i): ConfigDocument => {
    if (i !== index) return d;
    const value = structuredClone(d.value) as Obj;
    edit(value);
    return { ...d, value };
  });
  return encodeConfig({ documents });
}

describe("encodeConfig: keep", () => {
  for (const name of ["controlplane.yaml", "worker.yaml", "multidoc.yaml"]) {
    it(`writes an unedited ${name} back byte for byte`, () => {
      const text = fixture(name);
      assert.equal(encodeConfig(decodeConfig(text)), text);
    });
  }

  it("keeps odd but valid source formatting of unedited documents", () => {
    const text = "# c\nmachine:\n  type:   worker   # two-space file\n  files:\n  - permissions: 0644\n---\n...\n";
    assert.equal(encodeConfig(decodeConfig(text)), text);
  });

  it("keeps comments and layout when a generated config is edited", () => {
    const text = fixture("controlplane.yaml");
    const out = editAndEncode(text, (v) => {
      v["machine"]["install"]["disk"] = "/dev/nvme0n1";
      v["machine"]["network"] = { hostname: "cp-1" };
      v["machine"]["certSANs"] = ["10.0.0.1"];
      v["cluster"]["apiServer"]["certSANs"].push("cp.example.org");
      delete v["cluster"]["secretboxEncryptionSecret"];
    });
    assert.match(
      out,
      /\n {8}disk: \/dev\/nvme0n1 # Disk to install Talos to\.\n/,
      "changed scalar keeps its inline comment",
    );
    assert.match(out, /\n {4}# Machine network settings\.\n {4}network:\n {8}hostname: cp-1\n/);
    assert.match(out, /\n {4}certSANs:\n {8}- 10\.0\.0\.1\n/);
    assert.match(out, /\n {12}- 192\.168\.1\.10\n {12}- cp\.example\.org\n/);
    assert.doesNotMatch(out, /secretboxEncryptionSecret/);
    assert.match(out, /# # Find the install disk by its properties/, "commented examples survive");
    // Everything outside the edits is untouched: the head of the file is identical.
    const head = text.slice(0, text.indexOf("    type: controlplane"));
    assert.ok(out.startsWith(head));
    const reread = decodeConfig(out).documents[0]!.value as Obj;
    assert.equal(reread["machine"]["install"]["disk"], "/dev/nvme0n1");
    assert.equal(reread["cluster"]["secretboxEncryptionSecret"], undefined);
  });

  it("edits lists and list items of a hand-written config without touching comments", () => {
    const text = fixture("multidoc.yaml");
    const out = editAndEncode(text, (v) => {
      const eth0 = v["machine"]["network"]["interfaces"][0];
      eth0["addresses"].push("10.20.0.22/16");
      eth0["mtu"] = 9000;
      v["machine"]["network"]["interfaces"].push({ interface: "eth2", ignore: true });
      v["machine"]["files"][0]["path"] = "/var/cri/conf.d/other.toml";
    });
    assert.match(out, /# Worker node of the lab cluster, edited by hand\.\n/);
    assert.match(out, /hostname: lab-worker-1 # set by hand\n/);
    assert.match(out, / {16}- 10\.20\.0\.21\/16\n {16}- 10\.20\.0\.22\/16\n/);
    assert.match(out, / {12}# The second NIC is managed by DHCP\.\n/);
    assert.match(out, / {12}- interface: eth2\n {14}ignore: true\n/);
    assert.match(out, /permissions: 0644 # Go reads this as octal\n/, "an unchanged octal keeps its spelling");
    assert.match(out, /path: \/var\/cri\/conf\.d\/other\.toml\n/);
    const reread = decodeConfig(out).documents[0]!.value as Obj;
    assert.equal(reread["machine"]["network"]["interfaces"][0]["mtu"], 9000);
    assert.equal(reread["machine"]["files"][0]["permissions"], 0o644);
    // The other documents are unchanged byte for byte.
    assert.ok(out.endsWith(text.slice(text.indexOf("---\n# Only the API"))));
  });

  it("removes keys with the comment lines directly above them", () => {
    const out = editAndEncode(fixture("multidoc.yaml"), (v) => {
      delete v["machine"]["kubelet"]["nodeIP"];
    });
    assert.doesNotMatch(out, /Pick the node IP/);
    assert.doesNotMatch(out, /validSubnets/);
    assert.match(out, /disableManifestsDirectory: true\n {4}network:\n/);
  });

  it("edits typed documents and keeps their separators", () => {
    const out = editAndEncode(
      fixture("multidoc.yaml"),
      (v) => {
        v["portSelector"]["ports"] = [10250, 10255];
      },
      2,
    );
    assert.match(out, /ports:\n {8}- 10250\n {8}- 10255\n/);
    assert.equal(out.match(/^---$/gm)?.length, 3);
  });

  it("writes documents without source plainly and joins documents with ---", () => {
    const cfg: MachineConfig = {
      documents: [
        {
          kind: "v1alpha1",
          apiVersion: undefined,
          name: undefined,
          value: { version: "v1alpha1", machine: { type: "worker" } },
        },
        { kind: "EventSinkConfig", apiVersion: "v1alpha1", name: undefined, value: { endpoint: "10.0.0.1:4000" } },
      ],
    };
    assert.equal(
      encodeConfig(cfg),
      "version: v1alpha1\nmachine:\n    type: worker\n---\napiVersion: v1alpha1\nkind: EventSinkConfig\nendpoint: 10.0.0.1:4000\n",
    );
  });
});

describe("encodeConfig: docs and none", () => {
  it("reproduces gen config's documented layout", () => {
    for (const name of ["controlplane.yaml", "worker.yaml"]) {
      const text = fixture(name);
      assert.equal(encodeConfig(decodeConfig(text), { comments: "docs", examples: true }), text, name);
    }
  });

  it("writes plain YAML the way Talos does without comments", () => {
    const out = encodeConfig(decodeConfig(fixture("controlplane.yaml")), { comments: "none" });
    assert.doesNotMatch(out, /#/);
    assert.match(out, /^version: v1alpha1\ndebug: false\npersist: true\nmachine:\n {4}type: controlplane\n/);
    assert.match(out, /\n {4}certSANs: \[\]\n/);
    assert.match(out, /\n {4}network: \{\}\n/);
    assert.match(out, /\n {8}podSubnets:\n {12}- 10\.244\.0\.0\/16\n/);
    assert.match(out, /\n {12}- name: PodSecurity\n {14}configuration:\n {16}apiVersion: pod-security/);
    assert.match(out, /\n {16}exemptions:\n {20}namespaces:\n {24}- kube-system\n {20}runtimeClasses: \[\]\n/);
    assert.match(out, /\n {12}service: \{\}\n/);
  });

  it("quotes and formats scalars like yaml.v3", () => {
    const cfg: MachineConfig = {
      documents: [
        {
          kind: "v1alpha1",
          apiVersion: undefined,
          name: undefined,
          value: {
            machine: {
              env: { A: "99", B: "yes", C: "*.example.com", D: "", E: "a: b", F: "true", G: "plain-text" },
              files: [{ content: "line 1\nline 2\n", permissions: 0o600, path: "/var/f", op: "create" }],
              kubelet: { nodeIP: { validSubnets: ["!10.0.0.3/32"] } },
            },
          },
        },
      ],
    };
    const out = encodeConfig(cfg, { comments: "none" });
    assert.equal(
      out,
      [
        "machine:",
        "    env:",
        '        A: "99"',
        '        B: "yes"',
        "        C: '*.example.com'",
        '        D: ""',
        "        E: 'a: b'",
        '        F: "true"',
        "        G: plain-text",
        "    files:",
        "        - content: |",
        "            line 1",
        "            line 2",
        "          permissions: 0o600",
        "          path: /var/f",
        "          op: create",
        "    kubelet:",
        "        nodeIP:",
        "            validSubnets:",
        "                - '!10.0.0.3/32'",
        "",
      ].join("\n"),
    );
    // And it reads back to the same values.
    assert.deepEqual(decodeConfig(out).documents[0]!.value, cfg.documents[0]!.value);
  });
});

describe("encodeConfig: keep, random edits", () => {
  // Deterministic pseudo-random edits (change, add, remove, reorder, grow and shrink lists); whatever the
  // splicer does, the written text must read back as exactly the edited value.
  let seed = 42;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const fixedKeys = /^(version|kind|apiVersion|name|crt|key|endpoint|subnet|except|protocol|ingress|ca|ports)$/;

  function paths(v: any, p: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    if (p.length > 0) out.push(p);
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) paths(x, [...p, i], out);
    } else if (v !== null && typeof v === "object") {
      for (const k of Object.keys(v)) paths(v[k], [...p, k], out);
    }
    return out;
  }

  function mutate(root: any): void {
    const p = pick(paths(root));
    const parent = p.slice(0, -1).reduce((a: any, k) => a[k], root);
    const key = p[p.length - 1]!;
    if (p.some((k) => typeof k === "string" && fixedKeys.test(k))) return;
    const cur = parent[key];
    const r = rnd();
    if (typeof cur === "string") parent[key] = r < 0.5 ? `${cur}-x` : "multi\nline\n";
    else if (typeof cur === "number") parent[key] = cur + 1;
    else if (typeof cur === "boolean") parent[key] = !cur;
    else if (Array.isArray(cur)) {
      if (r < 0.4 && cur.length > 0) cur.pop();
      else if (cur.length > 0) cur.push(structuredClone(cur[0]));
    } else if (cur !== null && typeof cur === "object") {
      const keys = Object.keys(cur);
      if (keys.length > 0 && r < 0.3) delete cur[pick(keys)];
      else if (keys.length > 0 && r < 0.6) {
        const k = pick(keys);
        const moved = cur[k];
        delete cur[k];
        cur[k] = moved;
      }
    }
    if (!Array.isArray(parent) && r > 0.9) delete parent[key];
  }

  for (const name of ["controlplane.yaml", "worker.yaml", "multidoc.yaml"]) {
    it(`reads back exactly what was written after random edits of ${name}`, () => {
      const text = fixture(name);
      for (let round = 0; round < 60; round++) {
        const documents = decodeConfig(text).documents.map((d) => ({ ...d, value: structuredClone(d.value) as Obj }));
        for (let i = 0; i < 1 + Math.floor(rnd() * 4); i++) mutate(pick(documents).value);
        const out = encodeConfig({ documents });
        let reread: MachineConfig;
        try {
          reread = decodeConfig(out);
        } catch (e) {
          // Edits can produce values the schema rejects (e.g. a multi-line hostname is fine, a bad enum is not);
          // only YAML-level breakage is a splicer bug.
          assert.doesNotMatch(String(e), /YAML syntax|unknown field|duplicate/, out);
          continue;
        }
        documents.forEach((d, i) => {
          assert.deepEqual(
            JSON.parse(JSON.stringify(reread.documents[i]!.value)),
            JSON.parse(JSON.stringify(d.value)),
            out,
          );
        });
      }
    });
  }
});
