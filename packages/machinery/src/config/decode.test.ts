import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { decodeConfig, decodeDocumentValue } from "./decode.ts";
import { documentKey } from "./document.ts";
import { ConfigError } from "./errors.ts";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

type Obj = Record<string, any>;

function decodeError(text: string, source = "test.yaml"): ConfigError {
  try {
    decodeConfig(text, source);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  assert.fail("expected a ConfigError");
}

describe("decodeConfig", () => {
  it("decodes the generated control plane config in Talos's key order", () => {
    const cfg = decodeConfig(fixture("controlplane.yaml"), "controlplane.yaml");
    assert.equal(cfg.documents.length, 1);
    const doc = cfg.documents[0]!;
    assert.equal(doc.kind, "v1alpha1");
    assert.equal(doc.apiVersion, undefined);
    assert.equal(doc.name, undefined);
    const v = doc.value as Obj;
    assert.deepEqual(Object.keys(v), ["version", "debug", "persist", "machine", "cluster"]);
    assert.deepEqual(Object.keys(v["machine"]), [
      "type",
      "token",
      "ca",
      "certSANs",
      "kubelet",
      "network",
      "install",
      "features",
    ]);
    assert.equal(v["machine"]["features"]["kubePrism"]["port"], 7445);
    assert.deepEqual(v["cluster"]["network"]["podSubnets"], ["10.244.0.0/16"]);
    assert.deepEqual(v["cluster"]["extraManifests"], []);
    assert.equal(
      v["cluster"]["apiServer"]["admissionControl"][0]["configuration"]["exemptions"]["namespaces"][0],
      "kube-system",
    );
    assert.ok(doc.node !== undefined);
  });

  it("keeps the empty CA keys of the worker config", () => {
    const v = decodeConfig(fixture("worker.yaml")).documents[0]!.value as Obj;
    assert.equal(v["machine"]["ca"]["key"], "");
    assert.equal(v["cluster"]["ca"]["key"], "");
    assert.equal(v["cluster"]["clusterName"], undefined);
  });

  it("decodes a multi-document config with named documents", () => {
    const cfg = decodeConfig(fixture("multidoc.yaml"));
    assert.deepEqual(
      cfg.documents.map((d) => documentKey(d)),
      [
        "v1alpha1",
        "v1alpha1/NetworkDefaultActionConfig",
        "v1alpha1/NetworkRuleConfig/kubelet-ingress",
        "v1alpha1/NetworkRuleConfig/apid-ingress",
      ],
    );
    const rule = cfg.documents[3]!.value as Obj;
    assert.deepEqual(rule["portSelector"]["ports"], [50000, "50010-50020"]);
    const worker = cfg.documents[0]!.value as Obj;
    assert.equal(worker["machine"]["files"][0]["permissions"], 0o644, "0644 is octal, as Go reads it");
    assert.equal(worker["machine"]["sysctls"]["net.core.somaxconn"], "65535");
    assert.equal(worker["machine"]["network"]["interfaces"][1]["deviceSelector"]["hardwareAddr"], "52:54:00:*");
  });

  it("reads scalars as Go's yaml.v3 does", () => {
    const v = decodeConfig(
      [
        "debug: yes",
        "persist: On",
        "machine:",
        "    token: 0123",
        "    files:",
        "        - permissions: 0o600",
        "        - permissions: 0x1ff",
        "        - permissions: 1_000",
        "    network:",
        "        hostname: 12345",
        "        interfaces:",
        "            - mtu: 9000",
        "    time:",
        "        bootTimeout: 2m0s",
        "cluster:",
        "    clusterName: 'true'",
        "",
      ].join("\n"),
    ).documents[0]!.value as Obj;
    assert.equal(v["debug"], true);
    assert.equal(v["persist"], true);
    assert.equal(v["machine"]["token"], "0123", "a string field keeps the scalar's text");
    assert.deepEqual(
      v["machine"]["files"].map((f: Obj) => f["permissions"]),
      [0o600, 0x1ff, 1000],
    );
    assert.equal(v["machine"]["network"]["hostname"], "12345");
    assert.equal(v["machine"]["time"]["bootTimeout"], "2m0s");
    assert.equal(v["cluster"]["clusterName"], "true");
  });

  it("treats YAML nulls as absent and skips empty documents", () => {
    const cfg = decodeConfig("---\n---\nmachine:\n    install:\n    certSANs: ~\n---\n\n");
    assert.equal(cfg.documents.length, 1);
    assert.deepEqual(cfg.documents[0]!.value, { machine: {} });
  });

  it("accepts a document with only v1alpha1 keys as a patch (no field is required)", () => {
    const cfg = decodeConfig("machine:\n    network:\n        hostname: worker-7\n");
    assert.deepEqual(cfg.documents[0]!.value, { machine: { network: { hostname: "worker-7" } } });
  });

  it("decodes free-form fields with Go's typing", () => {
    const v = decodeConfig(
      "machine:\n    kubelet:\n        extraConfig:\n            maxPods: 250\n            serverTLSBootstrap: true\n            eventRecordQPS: 0o12\n",
    ).documents[0]!.value as Obj;
    assert.deepEqual(v["machine"]["kubelet"]["extraConfig"], {
      maxPods: 250,
      serverTLSBootstrap: true,
      eventRecordQPS: 10,
    });
  });

  it("collects all problems into one error naming the file, document, path and expectation", () => {
    const err = decodeError(
      [
        "machine:",
        "    install:",
        "        wipe: maybe",
        "        disks: /dev/sda",
        "    network:",
        "        interfaces:",
        "            - mtu: '1500'",
        "cluster:",
        "    controlPlane:",
        "        endpoint: https://bad host:6443",
        "",
      ].join("\n"),
      "cp.yaml",
    );
    assert.equal(err.source, "cp.yaml");
    assert.match(err.message, /^cp\.yaml: invalid configuration:/);
    assert.match(
      err.message,
      /machine\.install\.wipe: expected bool \(true or false\), got string "maybe" \(line 3:15\)/,
    );
    assert.match(err.message, /machine\.install\.disks: unknown field "disks" \(did you mean "disk"\?\)/);
    assert.match(err.message, /machine\.network\.interfaces\[0\]\.mtu: expected an integer, got string "1500"/);
    assert.match(err.message, /cluster\.controlPlane\.endpoint: invalid URL: .*invalid character " " in host name/);
    assert.equal(err.issues.length, 4);
  });

  it("rejects duplicate keys, duplicate documents and unknown kinds", () => {
    assert.match(
      decodeError("machine:\n    type: worker\n    type: controlplane\n").message,
      /machine\.type: duplicate key "type", first defined at line 2/,
    );
    assert.match(
      decodeError("machine: {}\n---\ncluster: {}\n").message,
      /duplicate document v1alpha1 .*only one v1alpha1 document is allowed/,
    );
    const rule = "apiVersion: v1alpha1\nkind: NetworkRuleConfig\nname: a\n";
    assert.match(
      decodeError(`${rule}---\n${rule}`).message,
      /NetworkRuleConfig\/a: duplicate document v1alpha1\/NetworkRuleConfig\/a/,
    );
    assert.doesNotThrow(() => decodeConfig(`${rule}---\n${rule.replace("name: a", "name: b")}`));
    assert.match(
      decodeError("apiVersion: v1alpha1\nkind: HostnameConfig\n").message,
      /unknown document kind "HostnameConfig"/,
    );
    assert.match(decodeError("kind: NetworkRuleConfig\n").message, /missing apiVersion/);
    assert.match(decodeError("foo: bar\n").message, /document 1: not a machine config document/);
    assert.match(decodeError("- a\n").message, /expected a YAML mapping/);
  });

  it("reports YAML syntax errors with line and column", () => {
    const err = decodeError("machine:\n    type: worker\n  bad: [\n", "broken.yaml");
    assert.match(err.message, /^broken\.yaml: invalid configuration:/);
    assert.match(err.message, /YAML syntax error: line \d+:\d+: /);
  });

  it("checks typed document fields", () => {
    const err = decodeError(
      [
        "apiVersion: v1alpha1",
        "kind: NetworkRuleConfig",
        "name: bad",
        "portSelector:",
        "    ports: [80, 'x-y']",
        "    protocol: sctp",
        "ingress:",
        "    - subnet: 10.0.0.0/33",
        "---",
        "apiVersion: v1alpha1",
        "kind: NetworkDefaultActionConfig",
        "ingress: allow",
        "",
      ].join("\n"),
    );
    assert.match(err.message, /NetworkRuleConfig\/bad: portSelector\.ports\[1\]: invalid port range: "x-y"/);
    assert.match(
      err.message,
      /portSelector\.protocol: expected one of "tcp", "udp", "icmp", "icmpv6", got string "sctp"/,
    );
    assert.match(err.message, /ingress\[0\]\.subnet: expected a CIDR prefix/);
    assert.match(
      err.message,
      /NetworkDefaultActionConfig: ingress: expected one of "accept", "block", got string "allow"/,
    );
  });

  it("rejects invalid base64 in certificates and malformed durations", () => {
    const err = decodeError("machine:\n    ca:\n        crt: not base64!\n    time:\n        bootTimeout: 10\n");
    assert.match(err.message, /machine\.ca\.crt: expected base64 data, illegal base64 data at input byte 3/);
    assert.match(
      err.message,
      /machine\.time\.bootTimeout: expected a duration such as "30s" or "1h30m", got integer 10/,
    );
  });
});

describe("decodeDocumentValue", () => {
  it("checks a plain value against a kind's schema", () => {
    const v = decodeDocumentValue("v1alpha1", { machine: { network: { hostname: "x" }, install: { wipe: true } } });
    assert.deepEqual(v, { machine: { network: { hostname: "x" }, install: { wipe: true } } });
    assert.deepEqual(decodeDocumentValue("NetworkRuleConfig", { name: "r", portSelector: { ports: [80] } }), {
      name: "r",
      portSelector: { ports: [80] },
    });
  });

  it("throws a ConfigError with paths for bad values", () => {
    assert.throws(
      () =>
        decodeDocumentValue(
          "v1alpha1",
          { machine: { install: { wipe: "sometimes" }, bogus: 1 } },
          { source: "patch.json" },
        ),
      (e: unknown) =>
        e instanceof ConfigError &&
        /^patch\.json: invalid configuration:/.test(e.message) &&
        /machine\.install\.wipe: expected bool/.test(e.message) &&
        /machine\.bogus: unknown field "bogus"/.test(e.message),
    );
    assert.throws(() => decodeDocumentValue("NoSuchKind", {}), /unknown document kind "NoSuchKind"/);
  });
});
