import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { decodeConfig } from "./decode.ts";
import { ConfigError, formatIssue } from "./errors.ts";
import { assertValidConfig, type ValidateOptions, validateConfig } from "./validate.ts";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

const METAL: ValidateOptions = { mode: "metal", local: true };
const CONTAINER: ValidateOptions = { mode: "container", local: true };

/** The worker fixture with `replace` applied to its text (keeps the tests readable as YAML edits). */
const worker = (from?: string | RegExp, to = ""): string => {
  const text = fixture("worker.yaml");
  return from === undefined ? text : text.replace(from, to);
};
const controlplane = (from?: string | RegExp, to = ""): string => {
  const text = fixture("controlplane.yaml");
  return from === undefined ? text : text.replace(from, to);
};

function messages(text: string, opts: ValidateOptions = METAL): { errors: string[]; warnings: string[] } {
  const r = validateConfig(decodeConfig(text, "test.yaml"), opts);
  return { errors: r.errors.map(formatIssue), warnings: r.warnings.map(formatIssue) };
}

/** Decodes and validates; returns every message (decode errors included), for the bad-input table. */
function problems(text: string, opts: ValidateOptions = METAL): string {
  try {
    const r = validateConfig(decodeConfig(text, "bad.yaml"), opts);
    return r.errors.map(formatIssue).join("\n");
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
}

describe("validateConfig", () => {
  for (const name of ["controlplane.yaml", "worker.yaml", "multidoc.yaml"]) {
    for (const opts of [METAL, CONTAINER, { mode: "cloud", local: true } as const]) {
      it(`accepts ${name} in ${opts.mode} mode`, () => {
        assert.deepEqual(messages(fixture(name), opts), { errors: [], warnings: [] });
      });
    }
  }

  it("requires machine and cluster sections", () => {
    assert.deepEqual(messages("version: v1alpha1\n").errors, ["machine: machine instructions are required"]);
    assert.deepEqual(messages("machine:\n    type: worker\n").errors, ["cluster: cluster instructions are required"]);
    assert.deepEqual(messages("apiVersion: v1alpha1\nkind: EventSinkConfig\nendpoint: 1.2.3.4:1\n").errors, [
      "machine instructions are required",
    ]);
  });

  it("needs an install disk only in metal mode, and only its presence when local", () => {
    const noDisk = worker("        disk: /dev/sda # Disk to install Talos to.\n");
    assert.deepEqual(messages(noDisk).errors, [
      "machine.install: either install disk or diskSelector should be defined",
    ]);
    assert.deepEqual(messages(noDisk, CONTAINER).errors, []);
    const selector = worker(
      "        disk: /dev/sda # Disk to install Talos to.\n",
      "        diskSelector:\n            size: '>= 100GB'\n",
    );
    assert.deepEqual(messages(selector).errors, []);
    const badSelector = worker(
      "        disk: /dev/sda # Disk to install Talos to.\n",
      "        diskSelector:\n            size: huge\n",
    );
    assert.deepEqual(messages(badSelector).errors, [
      "machine.install.diskSelector.size: install disk selector is invalid: failed to parse disk size huge",
    ]);
    const noInstall = decodeConfig(
      "machine:\n    type: worker\ncluster:\n    controlPlane:\n        endpoint: https://a:6443\n",
    );
    assert.deepEqual(validateConfig(noInstall, METAL).errors.map(formatIssue), [
      'machine.install: install instructions are required in "metal" mode',
    ]);
    const remote = validateConfig(decodeConfig(worker()), { mode: "metal", diskExists: (p) => p === "/dev/vda" });
    assert.deepEqual(remote.errors.map(formatIssue), [
      'machine.install.disk: specified install disk does not exist: "/dev/sda"',
    ]);
  });

  it("checks the control plane endpoint", () => {
    assert.deepEqual(messages(worker(/ {4}# Control plane endpoint\.\n {4}controlPlane:\n.*\n/)).errors, [
      "cluster.controlPlane.endpoint: cluster controlplane endpoint is required",
    ]);
    assert.deepEqual(messages(worker("https://192.168.1.10:6443", "https://192.168.1.10:99999")).errors, [
      "cluster.controlPlane.endpoint: invalid controlplane endpoint: port number must be between 1 and 65535",
    ]);
    assert.deepEqual(messages(worker("https://192.168.1.10:6443", "cluster.local")).errors, [
      "cluster.controlPlane.endpoint: invalid controlplane endpoint: hostname must not be blank",
    ]);
  });

  it("warns about non-canonical machine types and rejects unknown ones; strict turns warnings into errors", () => {
    const join = worker("type: worker", "type: join");
    assert.deepEqual(messages(join), {
      errors: [],
      warnings: ['machine.type: use "worker" instead of "join" for machine type'],
    });
    assert.deepEqual(messages(join, { ...METAL, strict: true }), {
      errors: ['machine.type: warning: use "worker" instead of "join" for machine type'],
      warnings: [],
    });
    assert.deepEqual(messages(worker("type: worker", "type: master")).errors, [
      'machine.type: unknown machine type "master"',
    ]);
  });

  it("checks cluster network settings", () => {
    assert.deepEqual(messages(worker("- 10.244.0.0/16", "- 10.244.0.0/33")).errors, [
      'cluster.network.podSubnets[0]: pod subnet "10.244.0.0/33" is not a valid CIDR',
    ]);
    assert.deepEqual(messages(worker("dnsDomain: cluster.local", "dnsDomain: -bad-")).errors, [
      'cluster.network.dnsDomain: "-bad-" is not a valid DNS name',
    ]);
    const cni = (body: string): string[] =>
      messages(
        controlplane("        dnsDomain: cluster.local", `        cni:\n${body}        dnsDomain: cluster.local`),
      ).errors;
    assert.deepEqual(cni("            name: flannel\n            urls: [https://x/cni.yaml]\n"), [
      'cluster.network.cni.urls: "urls" field should be empty for "flannel" CNI',
    ]);
    assert.deepEqual(cni("            name: calico\n"), [
      'cluster.network.cni.name: cni name should be one of ["flannel", "custom", "none"]',
    ]);
    assert.deepEqual(
      messages(
        controlplane(
          "        dnsDomain: cluster.local",
          "        cni:\n            name: custom\n        dnsDomain: cluster.local",
        ),
      ).warnings,
      ['cluster.network.cni.urls: "urls" field should not be empty for "custom" CNI'],
    );
  });

  it("allows etcd settings only on control plane nodes", () => {
    const text = worker(
      "    # Cluster member discovery.",
      "    etcd:\n        advertisedSubnets: [10.0.0.0/8]\n    # Cluster member discovery.",
    );
    assert.deepEqual(messages(text).errors, ["cluster.etcd: etcd config is only allowed on control plane machines"]);
    const cp = controlplane("    # URLs of extra manifests", "    # URLs of extra manifests").replace(
      "        # etcd CA certificate and key.",
      "        subnet: 10.0.0.0/8\n        advertisedSubnets: [10.0.0.0/8, '!bogus']\n        # etcd CA certificate and key.",
    );
    assert.deepEqual(messages(cp).errors, [
      "cluster.etcd.subnet: etcd subnet can't be set when advertised subnets are set",
      'cluster.etcd.advertisedSubnets[1]: etcd advertised subnet is not valid: "bogus"',
    ]);
  });

  it("checks discovery, inline manifests and the external cloud provider", () => {
    assert.deepEqual(messages(worker(/ {4}id: .*\n/)).errors, [
      "cluster.id: cluster discovery service requires .cluster.id",
    ]);
    const svc = worker(
      "            service: {}",
      "            service:\n                endpoint: https://discovery.example.org/v1/",
    );
    assert.deepEqual(messages(svc).errors, [
      "cluster.discovery.registries.service.endpoint: cluster discovery service path should be empty",
    ]);
    const manifests = controlplane(
      "    inlineManifests: []",
      "    inlineManifests:\n        - name: a\n          contents: x\n        - name: a\n          contents: y\n        - name: ' '\n          contents: z",
    );
    assert.deepEqual(messages(manifests).errors, [
      'cluster.inlineManifests[1].name: inline manifest name "a" is duplicate',
      "cluster.inlineManifests[2].name: inline manifest name can't be empty",
    ]);
    const ecp = worker(
      "    # Cluster member discovery.",
      "    externalCloudProvider:\n        manifests: [https://x/ccm.yaml]\n    # Cluster member discovery.",
    );
    assert.deepEqual(messages(ecp).errors, [
      "cluster.externalCloudProvider: external cloud provider is disabled, but manifests are provided",
    ]);
  });

  it("checks network interfaces", () => {
    const net = (interfaces: string, type = "worker"): string[] =>
      messages(
        worker("    network: {}", `    network:\n        interfaces:\n${interfaces}`).replace(
          "type: worker",
          `type: ${type}`,
        ),
      ).errors;
    assert.deepEqual(net("            - addresses: [10.0.0.5/24]\n"), [
      "machine.network.interfaces[0]: either interface or deviceSelector should be set",
    ]);
    assert.deepEqual(net("            - interface: eth0\n              deviceSelector: {driver: virtio}\n"), [
      "machine.network.interfaces[0]: interface and deviceSelector are mutually exclusive",
    ]);
    assert.deepEqual(net("            - interface: eth0\n              addresses: [10.0.0.5/33, 10.0.0.256]\n"), [
      'machine.network.interfaces[0].addresses[0]: "eth0": invalid CIDR address: 10.0.0.5/33',
      'machine.network.interfaces[0].addresses[1]: "eth0": failed to parse IP address "10.0.0.256"',
    ]);
    assert.deepEqual(
      net(
        "            - interface: eth0\n              routes:\n                - metric: 10\n                - network: 10.0.0.0/8\n                  gateway: 10.0.0\n",
      ),
      [
        "machine.network.interfaces[0].routes[0]: either network or gateway should be set",
        'machine.network.interfaces[0].routes[1].gateway: "10.0.0": invalid network address',
      ],
    );
    assert.deepEqual(net("            - interface: eth0\n              vip:\n                  ip: 10.0.0.100\n"), [
      "machine.network.interfaces[0].vip: virtual (shared) IP is not allowed on non-controlplane nodes",
    ]);
    assert.deepEqual(
      net(
        "            - interface: eth0\n              vip:\n                  ip: 10.0.0.100\n",
        "controlplane",
      ).filter((m) => m.includes("vip")),
      [],
    );
    assert.deepEqual(
      net(
        "            - interface: bond0\n              bond:\n                  interfaces: [eth0, eth1]\n                  mode: 802.3ad\n" +
          "            - interface: br0\n              bridge:\n                  interfaces: [eth1]\n" +
          "            - interface: eth0\n              dhcp: true\n",
      ),
      [
        'machine.network.interfaces[1]: interface "eth1" is declared as part of two separate links: "bond0" and "br0"',
        'machine.network.interfaces[2]: "eth0": bonded/bridged interface shouldn\'t have any addressing methods configured',
      ],
    );
    assert.deepEqual(
      net(
        "            - interface: bond0\n              bond:\n                  mode: active-backup\n                  lacpRate: fast\n                  updelay: 200\n",
      ),
      [
        "machine.network.interfaces[0].bond.updelay: bond.upDelay can't be set if miiMon is zero",
        "machine.network.interfaces[0].bond.lacpRate: bond.lacpRate is only available in 802.3ad mode",
      ],
    );
    const cidr = messages(
      worker(
        "    network: {}",
        "    network:\n        interfaces:\n            - interface: eth0\n              cidr: 10.0.0.5/24\n",
      ),
    );
    assert.deepEqual(cidr.warnings, [
      'machine.network.interfaces[0].cidr: "eth0": machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses',
    ]);
  });

  it("checks KubeSpan requirements", () => {
    const text = worker(
      "    network: {}",
      "    network:\n        kubespan:\n            enabled: true\n            mtu: 1000\n",
    ).replace("        enabled: true # Enable cluster member discovery.", "        enabled: false");
    assert.deepEqual(messages(text).errors, [
      "machine.network.kubespan.mtu: kubespan link MTU must be at least 1280",
      "cluster.discovery.enabled: .cluster.discovery should be enabled when .machine.network.kubespan is enabled",
    ]);
  });

  it("checks kubelet, labels, taints, encryption, logging and persist", () => {
    const text = worker(
      "    network: {}",
      "    network: {}\n" +
        "    nodeLabels:\n        bad label: x\n        ok/label: 'value with space'\n" +
        "    nodeTaints:\n        dedicated: gpu:NoRun\n" +
        "    systemDiskEncryption:\n        ephemeral:\n            provider: luks2\n            keys:\n                - slot: 0\n                - slot: 0\n                  nodeID: {}\n" +
        "    logging:\n        destinations:\n            - endpoint: http://logs:514\n              format: json\n",
    )
      .replace(
        "        disableManifestsDirectory: true",
        "        disableManifestsDirectory: true\n        nodeIP:\n            validSubnets: ['!10.0.0.0/99']\n        extraConfig:\n            port: 1234",
      )
      .replace("persist: true", "persist: false");
    assert.deepEqual(messages(text).errors, [
      'machine.kubelet.nodeIP.validSubnets[0]: kubelet nodeIP subnet is not valid: "10.0.0.0/99"',
      'machine.kubelet.extraConfig.port: kubelet configuration field "port" can\'t be overridden',
      'machine.systemDiskEncryption.ephemeral.keys[0]: partition "EPHEMERAL": encryption key at slot 0 doesn\'t have the configuration parameters',
      'machine.systemDiskEncryption.ephemeral.keys[1].slot: partition "EPHEMERAL": encryption key slot 0 is already in use',
      'machine.logging.destinations[0].endpoint: unexpected logging endpoint scheme "http"',
      'machine.logging.destinations[0].format: unknown logging format "json"',
      'machine.nodeLabels["bad label"]: invalid machine node labels: name "bad label" is invalid',
      'machine.nodeLabels["ok/label"]: invalid machine node labels: label value "value with space" is invalid',
      'machine.nodeTaints.dedicated: invalid machine node taints: invalid taint effect: "NoRun"',
      "persist: .persist should be enabled",
    ]);
  });

  it("checks Kubernetes Talos API access", () => {
    const text = worker(
      "        diskQuotaSupport: true",
      "        diskQuotaSupport: true\n        kubernetesTalosAPIAccess:\n            enabled: true\n            allowedRoles: [os:reader, os:root]",
    );
    assert.deepEqual(messages(text).errors, [
      "machine.features.kubernetesTalosAPIAccess: feature Kubernetes Talos API Access can only be enabled on control plane machines",
      'machine.features.kubernetesTalosAPIAccess.allowedRoles[1]: invalid role "os:root" in allowed roles for Kubernetes Talos API Access',
    ]);
  });

  it("validates typed documents", () => {
    const docs = (yaml: string): string[] => messages(`${worker()}---\n${yaml}`).errors;
    assert.deepEqual(
      docs("apiVersion: v1alpha1\nkind: NetworkRuleConfig\nname: r\nportSelector:\n    protocol: tcp\n"),
      ["NetworkRuleConfig/r: portSelector.ports: portSelector.ports is required"],
    );
    assert.deepEqual(
      docs(
        "apiVersion: v1alpha1\nkind: NetworkRuleConfig\nname: r\nportSelector:\n    ports: [80, 70-90]\n    protocol: tcp\n",
      ),
      ["NetworkRuleConfig/r: portSelector.ports: invalid port range: 80-80, overlaps with 70-90"],
    );
    assert.deepEqual(docs("apiVersion: v1alpha1\nkind: NetworkRuleConfig\nportSelector:\n    ports: [80]\n"), [
      "NetworkRuleConfig/: name: name is required",
    ]);
    assert.deepEqual(
      docs(
        "apiVersion: v1alpha1\nkind: NetworkRuleConfig\nname: r\nportSelector:\n    ports: [80]\ningress:\n    - except: 10.0.0.0/8\n",
      ),
      ['NetworkRuleConfig/r: ingress[0].subnet: invalid subnet: ""'],
    );
    assert.deepEqual(docs("apiVersion: v1alpha1\nkind: KmsgLogConfig\nname: k\nurl: https://logs:514/path\n"), [
      "KmsgLogConfig/k: url: url scheme must be tcp:// or udp://",
    ]);
    assert.deepEqual(docs("apiVersion: v1alpha1\nkind: SideroLinkConfig\napiUrl: https://omni.example.org/join\n"), [
      "SideroLinkConfig: apiUrl: apiUrl path must be empty",
    ]);
    assert.deepEqual(docs("apiVersion: v1alpha1\nkind: EventSinkConfig\nendpoint: example.org\n"), [
      "EventSinkConfig: endpoint: event sink endpoint: address example.org: missing port in address",
    ]);
  });

  it("assertValidConfig throws a ConfigError naming the file and returns warnings", () => {
    assert.throws(
      () => assertValidConfig(decodeConfig(worker("persist: true", "persist: false")), METAL, "w.yaml"),
      (e: unknown) =>
        e instanceof ConfigError &&
        /^w\.yaml: invalid configuration for metal mode:\n {2}\* persist: \.persist should be enabled$/.test(e.message),
    );
    const warnings = assertValidConfig(decodeConfig(worker("type: worker", "type: join")), METAL);
    assert.equal(warnings.length, 1);
  });
});

describe("bad inputs", () => {
  const table: { name: string; text: string; opts?: ValidateOptions; expect: RegExp[] }[] = [
    {
      name: "unknown key",
      text: worker("        wipe: false", "        wipe: false\n        wipeDisk: true"),
      expect: [/machine\.install\.wipeDisk: unknown field "wipeDisk"/],
    },
    {
      name: "wrong type",
      text: worker("        wipe: false", "        wipe: sometimes"),
      expect: [/machine\.install\.wipe: expected bool \(true or false\), got string "sometimes"/],
    },
    {
      name: "malformed endpoint URL",
      text: worker("https://192.168.1.10:6443", "192.168.1.10:6443"),
      expect: [
        /cluster\.controlPlane\.endpoint: invalid URL: parse "192\.168\.1\.10:6443": first path segment in URL cannot contain colon/,
      ],
    },
    {
      name: "bad CIDR",
      text: worker("- 10.96.0.0/12", "- 10.96.0.0"),
      expect: [/cluster\.network\.serviceSubnets\[0\]: service subnet "10\.96\.0\.0" is not a valid CIDR/],
    },
    {
      name: "missing install disk in metal mode",
      text: worker("        disk: /dev/sda # Disk to install Talos to.\n"),
      expect: [/machine\.install: either install disk or diskSelector should be defined/],
    },
    {
      name: "duplicate documents",
      text: `${worker()}---\napiVersion: v1alpha1\nkind: EventSinkConfig\nendpoint: a:1\n---\napiVersion: v1alpha1\nkind: EventSinkConfig\nendpoint: b:1\n`,
      expect: [/EventSinkConfig: duplicate document v1alpha1\/EventSinkConfig \(line \d+:1\) \(first at line \d+\)/],
    },
    {
      name: "YAML syntax error",
      text: "machine:\n    type: worker\n   cluster: {\n",
      expect: [/^bad\.yaml: invalid configuration:/, /YAML syntax error: line \d+:\d+: /],
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const out = problems(row.text, row.opts);
      for (const re of row.expect) assert.match(out, re);
    });
  }
});
