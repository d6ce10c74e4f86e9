import assert from "node:assert/strict";
import { test } from "node:test";
import { fillDefinition, matchesDefinition, singular } from "./definition.ts";

test("display type and aliases are derived as COSI derives them", () => {
  const m = fillDefinition({ type: "Members.cluster.talos.dev", defaultNamespace: "cluster" });
  assert.equal(m.displayType, "Member");
  assert.deepEqual(m.aliases, ["member"]);
  assert.deepEqual(m.allAliases, ["members", "members.cluster", "members.cluster.talos", "member"]);

  const sp = fillDefinition({ type: "StaticPods.kubernetes.talos.dev", defaultNamespace: "k8s" });
  assert.deepEqual(sp.aliases, ["staticpod", "sp", "sps"]);

  const h = fillDefinition({
    type: "HostnameStatuses.net.talos.dev",
    defaultNamespace: "network",
    aliases: ["hostname"],
  });
  assert.equal(h.displayType, "HostnameStatus");
  assert.deepEqual(h.aliases, ["hostname", "hostnamestatus", "hs"]);
  assert.ok(matchesDefinition(h, "Hostname"));
  assert.ok(matchesDefinition(h, "hostnamestatuses.net.talos.dev"));

  const rd = fillDefinition({ type: "ResourceDefinitions.meta.cosi.dev", defaultNamespace: "meta" });
  assert.ok(rd.aliases.includes("rd") && rd.aliases.includes("rds"));
});

test("singular", () => {
  assert.equal(singular("NodeAddresses"), "NodeAddress");
  assert.equal(singular("Identities"), "Identity");
  assert.equal(singular("MachineStatuses"), "MachineStatus");
  assert.equal(singular("CertSANs"), "CertSAN");
  assert.equal(singular("Services"), "Service");
  assert.equal(singular("Namespaces"), "Namespace");
});

test("bad types are refused", () => {
  assert.throws(() => fillDefinition({ type: "members.cluster", defaultNamespace: "x" }), /CamelCase/);
  assert.throws(() => fillDefinition({ type: "Members", defaultNamespace: "x" }), /missing suffix/);
});
