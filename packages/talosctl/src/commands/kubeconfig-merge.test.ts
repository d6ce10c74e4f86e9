import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { type ConflictDecision, type KubeconfigComponent, mergeKubeconfig } from "./kubeconfig-merge.ts";

/** A Talos admin kubeconfig for a cluster. */
function talosKubeconfig(cluster: string, server: string, cert: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `    - name: ${cluster}`,
    "      cluster:",
    `        server: ${server}`,
    "        certificate-authority-data: Q0E=",
    "users:",
    `    - name: admin@${cluster}`,
    "      user:",
    `        client-certificate-data: ${cert}`,
    "contexts:",
    "    - context:",
    `        cluster: ${cluster}`,
    "        namespace: default",
    `        user: admin@${cluster}`,
    `      name: admin@${cluster}`,
    `current-context: admin@${cluster}`,
    "",
  ].join("\n");
}

function recorder(decision: ConflictDecision) {
  const asked: [KubeconfigComponent, string][] = [];
  return {
    asked,
    onConflict: async (component: KubeconfigComponent, name: string) => {
      asked.push([component, name]);
      return decision;
    },
  };
}

describe("kubeconfig merge", () => {
  it("adds everything to an empty file and makes the context current", async () => {
    const r = await mergeKubeconfig("", talosKubeconfig("c1", "https://a:6443", "X"), "cfg", {
      activateContext: true,
      onConflict: async () => "rename",
    });
    assert.deepEqual(r.messages, []);
    assert.equal(
      r.text,
      [
        "apiVersion: v1",
        "clusters:",
        "- cluster:",
        "    certificate-authority-data: Q0E=",
        "    server: https://a:6443",
        "  name: c1",
        "contexts:",
        "- context:",
        "    cluster: c1",
        "    namespace: default",
        "    user: admin@c1",
        "  name: admin@c1",
        "current-context: admin@c1",
        "kind: Config",
        "preferences: {}",
        "users:",
        "- name: admin@c1",
        "  user:",
        "    client-certificate-data: X",
        "",
      ].join("\n"),
    );
  });

  it("keeps an identical cluster, renames the changed user and lets the context follow", async () => {
    const existing = talosKubeconfig("c1", "https://a:6443", "OLD");
    const rec = recorder("rename");
    const r = await mergeKubeconfig(existing, talosKubeconfig("c1", "https://a:6443", "NEW"), "cfg", {
      activateContext: true,
      onConflict: rec.onConflict,
    });
    assert.deepEqual(rec.asked, [["auth", "admin@c1"]]);
    assert.deepEqual(r.messages, [
      'renamed auth info "admin@c1" -> "admin@c1-1"',
      'renamed context "admin@c1" -> "admin@c1-1"',
    ]);
    const doc = parse(r.text);
    assert.deepEqual(
      doc.contexts.map((c: any) => [c.name, c.context.user, c.context.cluster]),
      [
        ["admin@c1", "admin@c1", "c1"],
        ["admin@c1-1", "admin@c1-1", "c1"],
      ],
    );
    assert.equal(doc["current-context"], "admin@c1-1");
  });

  it("overwrites on request and does not activate the context unless asked", async () => {
    const existing = `${talosKubeconfig("c1", "https://old:6443", "OLD")}`.replace(
      "current-context: admin@c1",
      "current-context: other",
    );
    const rec = recorder("overwrite");
    const r = await mergeKubeconfig(existing, talosKubeconfig("c1", "https://new:6443", "NEW"), "cfg", {
      activateContext: false,
      onConflict: rec.onConflict,
    });
    assert.deepEqual(rec.asked, [
      ["cluster", "c1"],
      ["auth", "admin@c1"],
    ]);
    assert.deepEqual(r.messages, []);
    const doc = parse(r.text);
    assert.equal(doc.clusters.length, 1);
    assert.equal(doc.clusters[0].cluster.server, "https://new:6443");
    assert.equal(doc["current-context"], "other");
  });

  it("treats a context named like an existing cluster as a clash (Talos's rule), and --force-context-name", async () => {
    const existing = talosKubeconfig("prod", "https://p:6443", "P");
    const rec = recorder("rename");
    const r = await mergeKubeconfig(existing, talosKubeconfig("c1", "https://a:6443", "X"), "cfg", {
      activateContext: true,
      forceContextName: "prod",
      onConflict: rec.onConflict,
    });
    assert.deepEqual(rec.asked, [["cluster", "admin@c1"]]);
    assert.deepEqual(r.messages, ['renamed context "admin@c1" -> "prod-1"']);
    assert.equal(parse(r.text)["current-context"], "prod-1");
  });

  it("keeps unknown top-level keys and reports an unreadable file", async () => {
    const r = await mergeKubeconfig(
      "apiVersion: v1\nkind: Config\nextensions:\n- name: x\n  extension: {}\n",
      talosKubeconfig("c1", "https://a:6443", "X"),
      "cfg",
      { activateContext: true, onConflict: async () => "rename" },
    );
    assert.deepEqual(parse(r.text).extensions, [{ name: "x", extension: {} }]);
    await assert.rejects(
      mergeKubeconfig("clusters: [", talosKubeconfig("c1", "https://a:6443", "X"), "/home/u/.kube/config", {
        activateContext: true,
        onConflict: async () => "rename",
      }),
      /^CliError: error loading config file "\/home\/u\/\.kube\/config": /,
    );
  });
});
