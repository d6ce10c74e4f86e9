import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateClusterEndpoint } from "./endpoint.ts";
import type { GenerateSecrets } from "./input.ts";
import { generateMachineConfig } from "./machine-config.ts";
import { parseVersionContract } from "./version-contract.ts";

const secrets: GenerateSecrets = {
  cluster: { id: "cluster-id", secret: "cluster-secret" },
  secrets: { bootstraptoken: "abcdef.0123456789abcdef", secretboxencryptionsecret: "secretbox" },
  trustdinfo: { token: "trustd.0123456789abcdef" },
  certs: {
    etcd: { crt: "etcd-crt", key: "etcd-key" },
    k8s: { crt: "k8s-crt", key: "k8s-key" },
    k8saggregator: { crt: "agg-crt", key: "agg-key" },
    k8sserviceaccount: { key: "sa-key" },
    os: { crt: "os-crt", key: "os-key" },
  },
};

type Obj = Record<string, any>;
const v1 = (type: "controlplane" | "worker", extra: object = {}): Obj =>
  generateMachineConfig(type, { clusterName: "demo", endpoint: "https://10.5.0.2:6443", secrets, ...extra })
    .documents[0]!.value as Obj;

describe("generateMachineConfig", () => {
  it("writes the control plane config in Talos's order with 1.6 defaults", () => {
    const cfg = v1("controlplane");
    assert.deepEqual(Object.keys(cfg), ["version", "debug", "persist", "machine", "cluster"]);
    assert.deepEqual(Object.keys(cfg["machine"]), [
      "type",
      "token",
      "ca",
      "certSANs",
      "kubelet",
      "network",
      "install",
      "features",
    ]);
    assert.equal(cfg["machine"].type, "controlplane");
    assert.deepEqual(cfg["machine"].ca, { crt: "os-crt", key: "os-key" });
    assert.deepEqual(cfg["machine"].install, {
      disk: "/dev/sda",
      image: "ghcr.io/siderolabs/installer:v1.6.7",
      wipe: false,
    });
    assert.deepEqual(cfg["machine"].kubelet, {
      image: "ghcr.io/siderolabs/kubelet:v1.29.3",
      defaultRuntimeSeccompProfileEnabled: true,
      disableManifestsDirectory: true,
    });
    assert.deepEqual(cfg["machine"].features, {
      rbac: true,
      stableHostname: true,
      apidCheckExtKeyUsage: true,
      diskQuotaSupport: true,
      kubePrism: { enabled: true, port: 7445 },
    });
    assert.deepEqual(Object.keys(cfg["cluster"]), [
      "id",
      "secret",
      "controlPlane",
      "clusterName",
      "network",
      "token",
      "secretboxEncryptionSecret",
      "ca",
      "aggregatorCA",
      "serviceAccount",
      "apiServer",
      "controllerManager",
      "proxy",
      "scheduler",
      "discovery",
      "etcd",
    ]);
    assert.equal(cfg["cluster"].controlPlane.endpoint, "https://10.5.0.2:6443");
    assert.deepEqual(cfg["cluster"].apiServer.certSANs, ["10.5.0.2"]);
    assert.equal(cfg["cluster"].apiServer.admissionControl[0].name, "PodSecurity");
    assert.deepEqual(cfg["cluster"].discovery, {
      enabled: true,
      registries: { kubernetes: { disabled: true }, service: {} },
    });
    assert.deepEqual(cfg["cluster"].etcd, { ca: { crt: "etcd-crt", key: "etcd-key" } });
  });

  it("leaves CA keys and control plane sections out of the worker config", () => {
    const cfg = v1("worker");
    assert.equal(cfg["machine"].type, "worker");
    assert.deepEqual(cfg["machine"].ca, { crt: "os-crt", key: "" });
    assert.deepEqual(cfg["cluster"].ca, { crt: "k8s-crt", key: "" });
    for (const key of [
      "clusterName",
      "secretboxEncryptionSecret",
      "aggregatorCA",
      "serviceAccount",
      "apiServer",
      "etcd",
    ]) {
      assert.equal(key in cfg["cluster"], false, key);
    }
    assert.equal(cfg["cluster"].token, "abcdef.0123456789abcdef");
  });

  it("applies the generation options", () => {
    const cfg = v1("controlplane", {
      additionalSANs: ["api.example.com", "10.5.0.2"],
      installDisk: "",
      kubernetesVersion: "v1.28.1",
      kubeSpan: true,
      clusterDiscovery: false,
      registryMirrors: { "docker.io": ["http://10.5.0.1:5000"] },
      dnsDomain: "example.local",
    });
    assert.deepEqual(cfg["machine"].certSANs, ["api.example.com", "10.5.0.2"]);
    assert.deepEqual(cfg["cluster"].apiServer.certSANs, ["10.5.0.2", "api.example.com"]);
    assert.equal("disk" in cfg["machine"].install, false);
    assert.equal(cfg["machine"].kubelet.image, "ghcr.io/siderolabs/kubelet:v1.28.1");
    assert.deepEqual(cfg["machine"].network, { kubespan: { enabled: true } });
    assert.equal(cfg["cluster"].discovery.enabled, false);
    assert.deepEqual(cfg["machine"].registries, { mirrors: { "docker.io": { endpoints: ["http://10.5.0.1:5000"] } } });
    assert.equal(cfg["cluster"].network.dnsDomain, "example.local");
  });

  it("follows older version contracts", () => {
    const cfg = v1("controlplane", { contract: parseVersionContract("v1.2") });
    assert.deepEqual(cfg["machine"].features, { rbac: true, stableHostname: true });
    assert.equal("aescbcEncryptionSecret" in cfg["cluster"], true);
    assert.equal("auditPolicy" in cfg["cluster"].apiServer, false);
    assert.equal("disableManifestsDirectory" in cfg["machine"].kubelet, false);
  });
});

describe("validateClusterEndpoint", () => {
  const cases: [string, RegExp][] = [
    ["10.5.0.2", /no scheme and port specified.*\ntry: "https:\/\/10\.5\.0\.2:6443"/],
    ["10.5.0.2:6443", /no scheme specified.*\ntry: "https:\/\/10\.5\.0\.2:6443"/],
    ["http://10.5.0.2:6443", /should have scheme https:\/\//],
    ["https://", /failed to parse|no host/],
  ];
  for (const [input, re] of cases) {
    it(`refuses ${input}`, () => assert.throws(() => validateClusterEndpoint(input), re));
  }
  it("accepts an https URL", () =>
    assert.equal(validateClusterEndpoint("https://cp.example.com:6443").hostname, "cp.example.com"));
});

describe("parseVersionContract", () => {
  it("parses versions and refuses garbage", () => {
    assert.deepEqual(parseVersionContract("v1.5.3"), { major: 1, minor: 5 });
    assert.deepEqual(parseVersionContract("1.4"), { major: 1, minor: 4 });
    assert.deepEqual(parseVersionContract("v2.0"), { major: 1, minor: 6 });
    assert.throws(() => parseVersionContract("latest"), /invalid talos-version "latest"/);
  });
});
