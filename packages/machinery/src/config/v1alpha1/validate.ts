/**
 * Talos 1.6's semantic validation of the v1alpha1 document (`v1alpha1_validation.go`): the checks that run
 * on `talosctl validate`, `apply-config` and at boot. Errors make the config unusable, warnings are
 * advice (`--strict` turns them into errors). Messages follow Talos's wording; each names its field path.
 */

import { DEFAULT_DISCOVERY_ENDPOINT } from "../../constants/index.ts";
import {
  type IssueCollector,
  issueCollector,
  type ValidateOptions,
  type ValidationResult,
} from "../documents/issue-collector.ts";
import type { FieldPath } from "../errors.ts";
import { checkSizeMatcher, parseByteSize } from "../internal/byte-size.ts";
import { addressContainsPort, isCIDR, isIP, isIPOrCIDR, isSubnetOrAddress } from "../internal/go-net.ts";
import { parseGoUrl, validateEndpointUri } from "../internal/go-url.ts";
import { validateLabels, validateTaints } from "./labels.ts";
import type { ClusterSection, MachineSection, NetworkBond, NetworkDevice, V1Alpha1Config } from "./schema.ts";

/** How Talos reads `machine.type`: its canonical name, or `undefined` for an unknown type. */
export function canonicalMachineType(type: string | undefined): "init" | "controlplane" | "worker" | undefined {
  switch (type ?? "") {
    case "init":
      return "init";
    case "controlplane":
      return "controlplane";
    case "worker":
    case "join":
    case "":
      return "worker";
    default:
      return undefined;
  }
}

const KUBESPAN_DEFAULT_MTU = 1420;
const KUBESPAN_MIN_MTU = 1280;
const TALOS_ROLES = ["os:admin", "os:operator", "os:reader", "os:etcd:backup", "os:impersonator"];
/** Kubelet configuration fields Talos manages itself (`kubelet.ProtectedConfigurationFields`). */
const PROTECTED_KUBELET_FIELDS = [
  "apiVersion",
  "authentication",
  "authorization",
  "cgroupRoot",
  "kind",
  "kubeletCgroups",
  "port",
  "protectKernelDefaults",
  "resolvConf",
  "rotateCertificates",
  "systemCgroups",
  "staticPodPath",
  "seccompDefault",
];

export function validateV1Alpha1(value: V1Alpha1Config, opts: ValidateOptions): ValidationResult {
  const issues = issueCollector();
  const { machine, cluster } = value;
  if (machine === undefined) {
    issues.error(["machine"], "machine instructions are required");
    return issues;
  }
  if (cluster === undefined) {
    issues.error(["cluster"], "cluster instructions are required");
    return issues;
  }
  const type = canonicalMachineType(machine.type);
  const controlPlane = type === "init" || type === "controlplane";

  validateCluster(cluster, controlPlane, issues);
  validateInstall(machine, opts, issues);

  if (type !== undefined && type !== (machine.type ?? "")) {
    issues.warn(
      ["machine", "type"],
      `use ${JSON.stringify(type)} instead of ${JSON.stringify(machine.type ?? "")} for machine type`,
    );
  }
  if (type === undefined) {
    issues.error(["machine", "type"], `unknown machine type ${JSON.stringify(machine.type ?? "")}`);
  } else if (controlPlane) {
    if (cluster.network?.cni !== undefined) validateCNI(cluster.network.cni, issues);
  } else {
    for (const [i, device] of (machine.network?.interfaces ?? []).entries()) {
      if (device.vip !== undefined) {
        issues.error(
          ["machine", "network", "interfaces", i, "vip"],
          "virtual (shared) IP is not allowed on non-controlplane nodes",
        );
      }
      for (const [j, vlan] of (device.vlans ?? []).entries()) {
        if (vlan.vip !== undefined) {
          issues.error(
            ["machine", "network", "interfaces", i, "vlans", j, "vip"],
            "virtual (shared) IP is not allowed on non-controlplane nodes",
          );
        }
      }
    }
  }

  validateNetwork(machine, cluster, issues);
  validateDisks(machine, issues);
  validateKubelet(machine, issues);
  validateEncryption(machine, issues);
  validateLogging(machine, issues);
  validateExtensions(machine, issues);

  const labelErrors = validateLabels(machine.nodeLabels ?? {});
  for (const e of labelErrors)
    issues.error(["machine", "nodeLabels", e.key], `invalid machine node labels: ${e.message}`);
  const taintErrors = validateTaints(machine.nodeTaints ?? {});
  for (const e of taintErrors)
    issues.error(["machine", "nodeTaints", e.key], `invalid machine node taints: ${e.message}`);

  const access = machine.features?.kubernetesTalosAPIAccess;
  if (access?.enabled === true) {
    const path = ["machine", "features", "kubernetesTalosAPIAccess"];
    if (machine.features?.rbac !== true) issues.error(path, "feature API access requires RBAC to be enabled");
    if (!controlPlane)
      issues.error(path, "feature Kubernetes Talos API Access can only be enabled on control plane machines");
    for (const [i, role] of (access.allowedRoles ?? []).entries()) {
      if (!TALOS_ROLES.includes(role)) {
        issues.error(
          [...path, "allowedRoles", i],
          `invalid role ${JSON.stringify(role)} in allowed roles for Kubernetes Talos API Access`,
        );
      }
    }
  }

  if (value.persist === false) issues.error(["persist"], ".persist should be enabled");
  return issues;
}

function validateCluster(cluster: ClusterSection, controlPlane: boolean, issues: IssueCollector): void {
  const endpoint = cluster.controlPlane?.endpoint;
  if (endpoint === undefined || endpoint === "") {
    issues.error(["cluster", "controlPlane", "endpoint"], "cluster controlplane endpoint is required");
  } else {
    const err = validateEndpointUri(endpoint);
    if (err !== undefined)
      issues.error(["cluster", "controlPlane", "endpoint"], `invalid controlplane endpoint: ${err}`);
  }

  const dnsDomain = cluster.network?.dnsDomain ?? "";
  if (dnsDomain !== "" && !isValidDNSName(dnsDomain)) {
    issues.error(["cluster", "network", "dnsDomain"], `${JSON.stringify(dnsDomain)} is not a valid DNS name`);
  }
  for (const field of ["podSubnets", "serviceSubnets"] as const) {
    for (const [i, subnet] of (cluster.network?.[field] ?? []).entries()) {
      if (!isCIDR(subnet)) {
        const what = field === "podSubnets" ? "pod" : "service";
        issues.error(["cluster", "network", field, i], `${what} subnet ${JSON.stringify(subnet)} is not a valid CIDR`);
      }
    }
  }

  const ecp = cluster.externalCloudProvider;
  if (ecp !== undefined) {
    const manifests = ecp.manifests ?? [];
    if (ecp.enabled !== true && manifests.length > 0) {
      issues.error(
        ["cluster", "externalCloudProvider"],
        "external cloud provider is disabled, but manifests are provided",
      );
    } else {
      for (const [i, url] of manifests.entries()) {
        const err = validateEndpointUri(url);
        if (err !== undefined) {
          issues.error(
            ["cluster", "externalCloudProvider", "manifests", i],
            `invalid external cloud provider manifest url ${JSON.stringify(url)}: ${err}`,
          );
        }
      }
    }
  }

  const etcd = cluster.etcd;
  if (etcd !== undefined) {
    if (!controlPlane) {
      issues.error(["cluster", "etcd"], "etcd config is only allowed on control plane machines");
    } else {
      if (etcd.ca === undefined) issues.error(["cluster", "etcd", "ca"], "key/cert combination should not be empty");
      if ((etcd.subnet ?? "") !== "" && (etcd.advertisedSubnets ?? []).length > 0) {
        issues.error(["cluster", "etcd", "subnet"], "etcd subnet can't be set when advertised subnets are set");
      }
      for (const [field, what] of [
        ["advertisedSubnets", "advertised"],
        ["listenSubnets", "listen"],
      ] as const) {
        for (const [i, cidr] of (etcd[field] ?? []).entries()) {
          if (!isSubnetOrAddress(cidr.replace(/^!/, ""))) {
            issues.error(
              ["cluster", "etcd", field, i],
              `etcd ${what} subnet is not valid: ${JSON.stringify(cidr.replace(/^!/, ""))}`,
            );
          }
        }
      }
    }
  }

  const names = new Set<string>();
  for (const [i, manifest] of (cluster.inlineManifests ?? []).entries()) {
    const name = manifest.name ?? "";
    if (name.trim() === "")
      issues.error(["cluster", "inlineManifests", i, "name"], "inline manifest name can't be empty");
    if (names.has(name))
      issues.error(
        ["cluster", "inlineManifests", i, "name"],
        `inline manifest name ${JSON.stringify(name)} is duplicate`,
      );
    names.add(name);
  }

  const discovery = cluster.discovery;
  if (discovery?.enabled === true && discovery.registries?.service?.disabled !== true) {
    const path = ["cluster", "discovery", "registries", "service", "endpoint"];
    const endpoint = discovery.registries?.service?.endpoint || DEFAULT_DISCOVERY_ENDPOINT;
    const parsed = parseGoUrl(endpoint);
    if (!parsed.ok || (parsed.url.scheme === "" && !parsed.url.path.startsWith("/"))) {
      const why = parsed.ok ? `parse ${JSON.stringify(endpoint)}: invalid URI for request` : parsed.error;
      issues.error(path, `cluster discovery service registry endpoint is invalid: ${why}`);
    } else if (parsed.url.path !== "" && parsed.url.path !== "/") {
      issues.error(path, "cluster discovery service path should be empty");
    }
    if ((cluster.id ?? "") === "") issues.error(["cluster", "id"], "cluster discovery service requires .cluster.id");
    if ((cluster.secret ?? "") === "")
      issues.error(["cluster", "secret"], "cluster discovery service requires .cluster.secret");
  }
}

/** Talos's DNS name check for `cluster.network.dnsDomain`. */
export function isValidDNSName(name: string): boolean {
  if (name === "" || name.length - (name.match(/\./g) ?? []).length > 255) return false;
  return /^([a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})(\.[a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})*[._]?$/.test(name);
}

function validateInstall(machine: MachineSection, opts: ValidateOptions, issues: IssueCollector): void {
  if (opts.mode !== "metal") return;
  const install = machine.install;
  if (install === undefined) {
    issues.error(["machine", "install"], `install instructions are required in ${JSON.stringify(opts.mode)} mode`);
    return;
  }
  const selector = install.diskSelector;
  const hasSelector = selector !== undefined && Object.values(selector).some((v) => v !== undefined && v !== "");
  if (selector?.size !== undefined) {
    const err = checkSizeMatcher(selector.size);
    if (err !== undefined)
      issues.error(["machine", "install", "diskSelector", "size"], `install disk selector is invalid: ${err}`);
  }
  const disk = install.disk ?? "";
  if (disk === "" && !hasSelector) {
    issues.error(["machine", "install"], "either install disk or diskSelector should be defined");
    return;
  }
  if (!opts.local && !hasSelector && opts.diskExists !== undefined && !opts.diskExists(disk)) {
    issues.error(["machine", "install", "disk"], `specified install disk does not exist: ${JSON.stringify(disk)}`);
  }
}

function validateCNI(cni: NonNullable<NonNullable<ClusterSection["network"]>["cni"]>, issues: IssueCollector): void {
  const path = ["cluster", "network", "cni"];
  const name = cni.name ?? "";
  const urls = cni.urls ?? [];
  const flannelArgs = cni.flannel?.extraArgs ?? [];
  switch (name) {
    case "flannel":
      if (urls.length > 0) issues.error([...path, "urls"], `"urls" field should be empty for "flannel" CNI`);
      break;
    case "none":
      if (urls.length > 0) issues.error([...path, "urls"], `"urls" field should be empty for "none" CNI`);
      if (flannelArgs.length > 0)
        issues.error([...path, "flannel"], `"flanneldExtraArgs" field should be empty for "none" CNI`);
      break;
    case "custom":
      if (urls.length === 0) issues.warn([...path, "urls"], `"urls" field should not be empty for "custom" CNI`);
      if (flannelArgs.length > 0)
        issues.error([...path, "flannel"], `"flanneldExtraArgs" field should be empty for "custom" CNI`);
      for (const [i, url] of urls.entries()) {
        const err = validateEndpointUri(url);
        if (err !== undefined) issues.error([...path, "urls", i], err);
      }
      break;
    default:
      issues.error([...path, "name"], `cni name should be one of ["flannel", "custom", "none"]`);
  }
}

function validateNetwork(machine: MachineSection, cluster: ClusterSection, issues: IssueCollector): void {
  const network = machine.network;
  if (network === undefined) return;
  const devices = network.interfaces ?? [];
  const base = ["machine", "network", "interfaces"];
  // Links enslaved to a bond or bridge, and the link that owns them.
  const secondary = new Map<string, string>();
  for (const [i, device] of devices.entries()) {
    const name = device.interface ?? "";
    if (device.bond !== undefined && device.bridge !== undefined) {
      issues.error(
        [...base, i],
        `interface has both bridge and bond sections set ${JSON.stringify(name)}: config sections are mutually exclusive`,
      );
    }
    let members: readonly string[] = [];
    if (device.bond !== undefined) {
      members = device.bond.interfaces ?? [];
      if (members.length > 0 && (device.bond.deviceSelectors ?? []).length > 0) {
        issues.error(
          [...base, i, "bond"],
          `interface ${JSON.stringify(name)} has both interfaces and selectors set: config sections are mutually exclusive`,
        );
      }
    }
    if (device.bridge !== undefined) members = device.bridge.interfaces ?? [];
    for (const member of members) {
      const owner = secondary.get(member);
      if (owner !== undefined && owner !== name) {
        issues.error(
          [...base, i],
          `interface ${JSON.stringify(member)} is declared as part of two separate links: ${JSON.stringify(owner)} and ${JSON.stringify(name)}`,
        );
      }
      secondary.set(member, name);
    }
  }
  for (const [i, device] of devices.entries()) {
    if (device.ignore === true) continue;
    validateDevice(device, [...base, i], secondary, issues);
  }

  const kubespan = network.kubespan;
  if (kubespan?.enabled === true) {
    const path = ["machine", "network", "kubespan"];
    if ((kubespan.mtu ?? KUBESPAN_DEFAULT_MTU) < KUBESPAN_MIN_MTU) {
      issues.error([...path, "mtu"], `kubespan link MTU must be at least ${KUBESPAN_MIN_MTU}`);
    }
    if (cluster.discovery?.enabled !== true) {
      issues.error(
        ["cluster", "discovery", "enabled"],
        ".cluster.discovery should be enabled when .machine.network.kubespan is enabled",
      );
    }
    if ((cluster.id ?? "") === "")
      issues.error(["cluster", "id"], ".cluster.id should be set when .machine.network.kubespan is enabled");
    if ((cluster.secret ?? "") === "") {
      issues.error(["cluster", "secret"], ".cluster.secret should be set when .machine.network.kubespan is enabled");
    }
    for (const [i, cidr] of (kubespan.filters?.endpoints ?? []).entries()) {
      const bare = cidr.replace(/^!/, "");
      if (!isSubnetOrAddress(bare))
        issues.error(
          [...path, "filters", "endpoints", i],
          `KubeSpan endpoint filter is not valid: ${JSON.stringify(bare)}`,
        );
    }
  }
}

function validateDevice(
  device: NetworkDevice,
  path: FieldPath,
  secondary: Map<string, string>,
  issues: IssueCollector,
): void {
  const name = device.interface ?? "";
  if (name === "" && device.deviceSelector === undefined) {
    issues.error(path, "either interface or deviceSelector should be set");
  } else if (name !== "" && device.deviceSelector !== undefined) {
    issues.error(path, "interface and deviceSelector are mutually exclusive");
  }
  if (
    device.deviceSelector !== undefined &&
    Object.values(device.deviceSelector).every((v) => v === undefined || v === "")
  ) {
    issues.error([...path, "deviceSelector"], "deviceSelector should contain at least one field");
  }
  if (device.bond !== undefined) checkBond(device.bond, [...path, "bond"], issues);
  if (device.wireguard !== undefined) checkWireguard(device.wireguard, [...path, "wireguard"], issues);

  for (const [j, vlan] of (device.vlans ?? []).entries()) {
    const vpath = [...path, "vlans", j];
    const label = `${name}.${vlan.vlanId ?? 0}`;
    if ((vlan.addresses ?? []).length > 0 && (vlan.cidr ?? "") !== "") {
      issues.error(vpath, `${label}: vlan can't have both .cidr and .addresses set`);
    }
    if ((vlan.cidr ?? "") !== "" && !isIPOrCIDR(vlan.cidr ?? "")) {
      issues.error([...vpath, "cidr"], `${label}: ${ipOrCIDRError(vlan.cidr ?? "")}`);
    }
    for (const [k, address] of (vlan.addresses ?? []).entries()) {
      if (!isIPOrCIDR(address)) issues.error([...vpath, "addresses", k], `${label}: ${ipOrCIDRError(address)}`);
    }
  }

  // Addressing.
  if (secondary.has(name)) {
    if (
      device.dhcp === true ||
      (device.cidr ?? "") !== "" ||
      (device.addresses ?? []).length > 0 ||
      device.vip !== undefined
    ) {
      issues.error(
        path,
        `${JSON.stringify(name)}: bonded/bridged interface shouldn't have any addressing methods configured`,
      );
    }
  }
  if ((device.addresses ?? []).length > 0 && (device.cidr ?? "") !== "") {
    issues.error(path, `${JSON.stringify(name)}: interface can't have both .cidr and .addresses set`);
  }
  if ((device.cidr ?? "") !== "") {
    if (!isIPOrCIDR(device.cidr ?? ""))
      issues.error([...path, "cidr"], `${JSON.stringify(name)}: ${ipOrCIDRError(device.cidr ?? "")}`);
    issues.warn(
      [...path, "cidr"],
      `${JSON.stringify(name)}: machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses`,
    );
  }
  for (const [k, address] of (device.addresses ?? []).entries()) {
    if (!isIPOrCIDR(address))
      issues.error([...path, "addresses", k], `${JSON.stringify(name)}: ${ipOrCIDRError(address)}`);
  }
  if (device.vip !== undefined && !isIP(device.vip.ip ?? "")) {
    issues.error([...path, "vip", "ip"], `failed to parse ${JSON.stringify(device.vip.ip ?? "")} as IP address`);
  }

  // Routes.
  for (const [k, route] of (device.routes ?? []).entries()) {
    const rpath = [...path, "routes", k];
    const network = route.network ?? "";
    const gateway = route.gateway ?? "";
    if (network !== "" && !isCIDR(network))
      issues.error([...rpath, "network"], `${JSON.stringify(network)}: invalid network address`);
    if (gateway !== "" && !isIP(gateway))
      issues.error([...rpath, "gateway"], `${JSON.stringify(gateway)}: invalid network address`);
    if (network === "" && gateway === "") issues.error(rpath, "either network or gateway should be set");
    if ((route.source ?? "") !== "" && !isIP(route.source ?? "")) {
      issues.error([...rpath, "source"], `${JSON.stringify(route.source)}: invalid network address`);
    }
  }
}

function ipOrCIDRError(address: string): string {
  return address.includes("/")
    ? `invalid CIDR address: ${address}`
    : `failed to parse IP address ${JSON.stringify(address)}`;
}

const BOND_MODES = ["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"];
const BOND_ENUMS: readonly (readonly [keyof NetworkBond, readonly string[], string])[] = [
  ["xmitHashPolicy", ["", "layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4"], "invalid xmit hash policy"],
  ["lacpRate", ["", "slow", "fast"], "invalid lacp rate"],
  [
    "arpValidate",
    ["", "none", "active", "backup", "all", "filter", "filter-active", "filter-backup"],
    "invalid arp validate",
  ],
  ["arpAllTargets", ["", "any", "all"], "invalid arp all targets"],
  ["primaryReselect", ["", "always", "better", "failure"], "invalid primary reselect"],
  ["failOverMac", ["", "none", "active", "follow"], "invalid fail over mac"],
  ["adSelect", ["", "stable", "bandwidth", "count"], "invalid ad select"],
];

function checkBond(bond: NetworkBond, path: FieldPath, issues: IssueCollector): void {
  const mode = bond.mode ?? "";
  if (!BOND_MODES.includes(mode)) issues.error([...path, "mode"], `invalid bond type ${mode}`);
  for (const [field, allowed, message] of BOND_ENUMS) {
    const v = String(bond[field] ?? "");
    if (!allowed.includes(v)) issues.error([...path, field], `${message} ${v}`);
  }
  const miimon = bond.miimon ?? 0;
  const updelay = bond.updelay ?? 0;
  const downdelay = bond.downdelay ?? 0;
  if (miimon === 0) {
    if (updelay !== 0) issues.error([...path, "updelay"], "bond.upDelay can't be set if miiMon is zero");
    if (downdelay !== 0) issues.error([...path, "downdelay"], "bond.downDelay can't be set if miiMon is zero");
  } else {
    if (updelay % miimon !== 0) issues.error([...path, "updelay"], "bond.upDelay should be a multiple of miiMon");
    if (downdelay % miimon !== 0) issues.error([...path, "downdelay"], "bond.downDelay should be a multiple of miiMon");
  }
  if ((bond.arpIPTarget ?? []).length > 0) issues.error([...path, "arpIPTarget"], "bond.arpIPTarget is not supported");
  const lacp = mode === "802.3ad";
  const lb = mode === "balance-alb" || mode === "balance-tlb";
  if ((bond.lacpRate ?? "") !== "" && !lacp)
    issues.error([...path, "lacpRate"], "bond.lacpRate is only available in 802.3ad mode");
  if ((bond.adActorSystem ?? "") !== "")
    issues.error([...path, "adActorSystem"], "bond.adActorSystem is not supported");
  if ((lacp || lb) && (bond.arpValidate ?? "") !== "")
    issues.error([...path, "arpValidate"], `bond.arpValidate is not available in ${mode} mode`);
  if (!(mode === "active-backup" || lb) && (bond.primary ?? "") !== "")
    issues.error([...path, "primary"], `bond.primary is not available in ${mode} mode`);
  if ((lacp || lb) && (bond.arpInterval ?? 0) > 0)
    issues.error([...path, "arpInterval"], `bond.arpInterval is not available in ${mode} mode`);
  if (mode !== "balance-rr" && (bond.packetsPerSlave ?? 0) > 1) {
    issues.error([...path, "packetsPerSlave"], `bond.packetsPerSlave is not available in ${mode} mode`);
  }
  if (!lb && (bond.tlbDynamicLb ?? 0) > 0)
    issues.error([...path, "tlbDynamicLb"], `bond.tlbDynamicTLB is not available in ${mode} mode`);
  if (!lacp && (bond.adActorSysPrio ?? 0) > 0)
    issues.error([...path, "adActorSysPrio"], "bond.adActorSysPrio is only available in 802.3ad mode");
  if (!lacp && (bond.adUserPortKey ?? 0) > 0)
    issues.error([...path, "adUserPortKey"], "bond.adUserPortKey is only available in 802.3ad mode");
}

function checkWireguard(wg: NonNullable<NetworkDevice["wireguard"]>, path: FieldPath, issues: IssueCollector): void {
  const keyError = (key: string): string | undefined => {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(key) || key.length % 4 !== 0) return "illegal base64 data";
    const bytes = Buffer.from(key, "base64").length;
    return bytes === 32 ? undefined : `wrong key ${JSON.stringify(key)} length: ${bytes}`;
  };
  const priv = keyError(wg.privateKey ?? "");
  if (priv !== undefined) issues.error([...path, "privateKey"], `private key is invalid: ${priv}`);
  for (const [i, peer] of (wg.peers ?? []).entries()) {
    const ppath = [...path, "peers", i];
    const pub = keyError(peer.publicKey ?? "");
    if (pub !== undefined) issues.error([...ppath, "publicKey"], `public key invalid: ${pub}`);
    if ((peer.endpoint ?? "") !== "" && !addressContainsPort(peer.endpoint ?? "")) {
      issues.error([...ppath, "endpoint"], `peer endpoint ${JSON.stringify(peer.endpoint)} is invalid`);
    }
    for (const [k, ip] of (peer.allowedIPs ?? []).entries()) {
      if (!isCIDR(ip))
        issues.error(
          [...ppath, "allowedIPs", k],
          `peer allowed IP ${JSON.stringify(ip)} is invalid: invalid CIDR address: ${ip}`,
        );
    }
  }
}

function validateDisks(machine: MachineSection, issues: IssueCollector): void {
  for (const [i, disk] of (machine.disks ?? []).entries()) {
    const partitions = disk.partitions ?? [];
    for (const [j, partition] of partitions.entries()) {
      const size =
        partition.size === undefined
          ? 0
          : typeof partition.size === "number"
            ? partition.size
            : (parseByteSize(String(partition.size)) ?? 0);
      if (size === 0 && j !== partitions.length - 1) {
        issues.error(
          ["machine", "disks", i, "partitions", j, "size"],
          `partition for disk ${JSON.stringify(disk.device ?? "")} is set to occupy full disk, but it's not the last partition in the list`,
        );
      }
    }
  }
}

function validateKubelet(machine: MachineSection, issues: IssueCollector): void {
  const kubelet = machine.kubelet;
  if (kubelet === undefined) return;
  for (const [i, cidr] of (kubelet.nodeIP?.validSubnets ?? []).entries()) {
    const bare = cidr.replace(/^!/, "");
    if (!isSubnetOrAddress(bare)) {
      issues.error(
        ["machine", "kubelet", "nodeIP", "validSubnets", i],
        `kubelet nodeIP subnet is not valid: ${JSON.stringify(bare)}`,
      );
    }
  }
  const extra = kubelet.extraConfig;
  if (typeof extra === "object" && extra !== null) {
    for (const field of PROTECTED_KUBELET_FIELDS) {
      if (Object.hasOwn(extra, field)) {
        issues.error(
          ["machine", "kubelet", "extraConfig", field],
          `kubelet configuration field ${JSON.stringify(field)} can't be overridden`,
        );
      }
    }
  }
}

function validateEncryption(machine: MachineSection, issues: IssueCollector): void {
  for (const [field, label] of [
    ["ephemeral", "EPHEMERAL"],
    ["state", "STATE"],
  ] as const) {
    const config = machine.systemDiskEncryption?.[field];
    if (config === undefined) continue;
    const path = ["machine", "systemDiskEncryption", field];
    const keys = config.keys ?? [];
    if (keys.length === 0)
      issues.error([...path, "keys"], `partition ${JSON.stringify(label)}: no encryption keys provided`);
    const slots = new Set<number>();
    for (const [i, key] of keys.entries()) {
      const slot = key.slot ?? 0;
      if (slots.has(slot))
        issues.error(
          [...path, "keys", i, "slot"],
          `partition ${JSON.stringify(label)}: encryption key slot ${slot} is already in use`,
        );
      slots.add(slot);
      if (key.nodeID === undefined && key.static === undefined && key.kms === undefined && key.tpm === undefined) {
        issues.error(
          [...path, "keys", i],
          `partition ${JSON.stringify(label)}: encryption key at slot ${slot} doesn't have the configuration parameters`,
        );
      }
    }
  }
}

function validateLogging(machine: MachineSection, issues: IssueCollector): void {
  for (const [i, dest] of (machine.logging?.destinations ?? []).entries()) {
    const path = ["machine", "logging", "destinations", i];
    const parsed = dest.endpoint === undefined ? undefined : parseGoUrl(dest.endpoint);
    if (parsed === undefined || !parsed.ok) {
      issues.error([...path, "endpoint"], "empty logging endpoint");
    } else {
      if (parsed.url.host === "") issues.error([...path, "endpoint"], "empty logging endpoint's host");
      if (parsed.url.scheme !== "tcp" && parsed.url.scheme !== "udp") {
        issues.error([...path, "endpoint"], `unexpected logging endpoint scheme ${JSON.stringify(parsed.url.scheme)}`);
      }
    }
    if (dest.format !== "json_lines")
      issues.error([...path, "format"], `unknown logging format ${JSON.stringify(dest.format ?? "")}`);
  }
}

function validateExtensions(machine: MachineSection, issues: IssueCollector): void {
  const extensions = machine.install?.extensions ?? [];
  const seen = new Set<string>();
  for (const [i, ext] of extensions.entries()) {
    const image = ext.image ?? "";
    if (seen.has(image))
      issues.error(["machine", "install", "extensions", i], `duplicate system extension ${JSON.stringify(image)}`);
    seen.add(image);
  }
  if (extensions.length > 0) {
    issues.warn(
      ["machine", "install", "extensions"],
      ".machine.install.extensions is deprecated, please see https://www.talos.dev/latest/talos-guides/install/boot-assets/",
    );
  }
}
