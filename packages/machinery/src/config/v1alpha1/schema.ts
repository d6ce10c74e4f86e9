/**
 * The Talos 1.6 `v1alpha1` machine configuration document: every field, in Talos's field order, with the
 * strategic-merge metadata of the Go types (`merge:"replace"` fields and the custom keyed list mergers) and
 * our own one-line docs (written as YAML comments by `gen config --with-docs`).
 */
import {
  any,
  bool,
  duration,
  type Infer,
  int,
  list,
  map,
  obj,
  type Schema,
  scalar,
  str,
  withMeta,
} from "../schema/dsl.ts";

type Obj = Record<string, unknown>;

const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});

// Go integer types.
const uint8 = (doc?: string) => int({ min: 0, max: 255, ...(doc !== undefined ? { doc } : {}) });
const uint16 = (doc?: string) => int({ min: 0, max: 65535, ...(doc !== undefined ? { doc } : {}) });
const uint32 = (doc?: string) => int({ min: 0, max: 4294967295, ...(doc !== undefined ? { doc } : {}) });
const uint64 = (doc?: string) => int({ min: 0, ...(doc !== undefined ? { doc } : {}) });
const strings = (doc?: string, examples?: readonly unknown[]) =>
  list(str(), { ...(doc !== undefined ? { doc } : {}), ...(examples !== undefined ? { examples } : {}) });
const stringMap = (doc?: string, examples?: readonly unknown[]) =>
  map(str(), { ...(doc !== undefined ? { doc } : {}), ...(examples !== undefined ? { examples } : {}) });
/** Go `Unstructured`: free-form YAML that must be a mapping. */
const unstructured = (doc?: string, extra: { replace?: boolean; examples?: readonly unknown[] } = {}) =>
  any({ mapping: true, ...(doc !== undefined ? { doc } : {}), ...extra });

/** A base64-encoded PEM certificate with its private key (`x509.PEMEncodedCertificateAndKey`). */
export const certAndKeySchema = obj({
  crt: str({ format: "base64", doc: "Base64-encoded PEM certificate." }),
  key: str({ format: "base64", doc: "Base64-encoded PEM private key (empty on machines that must not hold it)." }),
});

/** A base64-encoded PEM private key alone (`x509.PEMEncodedKey`). */
export const keyOnlySchema = obj({
  key: str({ format: "base64", doc: "Base64-encoded PEM private key." }),
});

const idMapping = obj({
  containerID: uint32("First UID/GID inside the container."),
  hostID: uint32("First UID/GID on the host that containerID maps to."),
  size: uint32("How many IDs the mapping covers."),
});

const extraMount = obj({
  destination: str({ doc: "Absolute mount path inside the kubelet container." }),
  type: str({ doc: "Mount type, e.g. bind." }),
  source: str({ doc: "Host path to mount." }),
  options: strings("fstab-style mount options; bind or rbind is required."),
  uidMappings: list(idMapping, { doc: "UID mappings for an idmapped mount." }),
  gidMappings: list(idMapping, { doc: "GID mappings for an idmapped mount." }),
});

const kubeletSchema = obj({
  image: str({ doc: "Kubelet container image.", examples: ["ghcr.io/siderolabs/kubelet:v1.29.3"] }),
  clusterDNS: strings("Cluster DNS server IPs handed to pods (defaults from the service subnet).", [
    ["10.96.0.10", "169.254.2.53"],
  ]),
  extraArgs: stringMap("Extra kubelet command line flags.", [{ "feature-gates": "ServerSideApply=true" }]),
  extraMounts: list(extraMount, {
    doc: "Extra mounts into the kubelet container.",
    examples: [
      [
        {
          destination: "/var/lib/example",
          type: "bind",
          source: "/var/lib/example",
          options: ["bind", "rshared", "rw"],
        },
      ],
    ],
  }),
  extraConfig: unstructured("Overrides merged into the generated KubeletConfiguration.", {
    examples: [{ serverTLSBootstrap: true }],
  }),
  credentialProviderConfig: unstructured("Kubelet image credential provider configuration."),
  defaultRuntimeSeccompProfileEnabled: bool({ doc: "Use the container runtime's default seccomp profile." }),
  registerWithFQDN: bool({ doc: "Register the node with its FQDN instead of its hostname." }),
  nodeIP: obj(
    {
      validSubnets: strings("Subnets to pick the node IP from; prefix with ! to exclude.", [
        ["10.0.0.0/8", "!10.0.0.3/32", "fdc7::/16"],
      ]),
    },
    { doc: "How the kubelet picks the node IP (--node-ip)." },
  ),
  skipNodeRegistration: bool({ doc: "Run the kubelet standalone, without registering the node." }),
  disableManifestsDirectory: bool({ doc: "Ignore static pod manifests in /etc/kubernetes/manifests." }),
});

/** `NetworkDeviceSelector`: picks a link by its hardware properties (wildcards allowed). */
export const deviceSelectorSchema = obj({
  busPath: str({ doc: "PCI/USB bus path prefix, wildcards allowed." }),
  hardwareAddr: str({ doc: "MAC address, wildcards allowed." }),
  pciID: str({ doc: "PCI vendor:product ID, wildcards allowed." }),
  driver: str({ doc: "Kernel driver name, wildcards allowed." }),
});

const routeSchema = obj({
  network: str({ doc: "Destination CIDR; empty for a default route." }),
  gateway: str({ doc: "Gateway IP; empty for a link-scope route." }),
  source: str({ doc: "Preferred source address." }),
  metric: uint32("Route priority."),
  mtu: uint32("Route MTU."),
});

const vipSchema = obj({
  ip: str({ doc: "The shared IP address." }),
  equinixMetal: obj({ apiToken: str({ doc: "Equinix Metal API token." }) }, { doc: "Equinix Metal VIP management." }),
  hcloud: obj({ apiToken: str({ doc: "Hetzner Cloud API token." }) }, { doc: "Hetzner Cloud VIP management." }),
});

const dhcpOptionsSchema = obj({
  routeMetric: uint32("Priority of the routes learned over DHCP."),
  ipv4: bool({ doc: "Run DHCPv4 (on by default)." }),
  ipv6: bool({ doc: "Run DHCPv6 (off by default)." }),
  duidv6: str({ doc: "DHCPv6 client DUID as a hex string." }),
});

const bondSchema = obj({
  interfaces: strings("Links enslaved to the bond."),
  deviceSelectors: list(deviceSelectorSchema, { doc: "Selectors for the links enslaved to the bond." }),
  arpIPTarget: strings("Bond option arp_ip_target (not supported)."),
  mode: str({ doc: "Bond mode, e.g. 802.3ad or active-backup." }),
  xmitHashPolicy: str({ doc: "Bond option xmit_hash_policy." }),
  lacpRate: str({ doc: "Bond option lacp_rate (802.3ad only)." }),
  adActorSystem: str({ doc: "Bond option ad_actor_system (not supported)." }),
  arpValidate: str({ doc: "Bond option arp_validate." }),
  arpAllTargets: str({ doc: "Bond option arp_all_targets." }),
  primary: str({ doc: "Bond option primary." }),
  primaryReselect: str({ doc: "Bond option primary_reselect." }),
  failOverMac: str({ doc: "Bond option fail_over_mac." }),
  adSelect: str({ doc: "Bond option ad_select." }),
  miimon: uint32("Bond option miimon (ms)."),
  updelay: uint32("Bond option updelay (ms)."),
  downdelay: uint32("Bond option downdelay (ms)."),
  arpInterval: uint32("Bond option arp_interval (ms)."),
  resendIgmp: uint32("Bond option resend_igmp."),
  minLinks: uint32("Bond option min_links."),
  lpInterval: uint32("Bond option lp_interval."),
  packetsPerSlave: uint32("Bond option packets_per_slave."),
  numPeerNotif: uint8("Bond option num_grat_arp / num_unsol_na."),
  tlbDynamicLb: uint8("Bond option tlb_dynamic_lb."),
  allSlavesActive: uint8("Bond option all_slaves_active."),
  useCarrier: bool({ doc: "Bond option use_carrier." }),
  adActorSysPrio: uint16("Bond option ad_actor_sys_prio."),
  adUserPortKey: uint16("Bond option ad_user_port_key."),
  peerNotifyDelay: uint32("Bond option peer_notif_delay."),
});

const bridgeSchema = obj({
  interfaces: strings("Links attached to the bridge."),
  stp: obj({ enabled: bool({ doc: "Enable the spanning tree protocol." }) }, { doc: "Spanning tree settings." }),
});

const vlanSchema = obj({
  addresses: strings("Static addresses of the VLAN link (CIDR or plain IP)."),
  cidr: str({ doc: "Legacy single address of the VLAN link (use addresses)." }),
  routes: list(routeSchema, { doc: "Routes over the VLAN link." }),
  dhcp: bool({ doc: "Configure the VLAN link with DHCP." }),
  vlanId: uint16("The VLAN ID."),
  mtu: uint32("The VLAN link MTU."),
  vip: withMeta(vipSchema, { doc: "Shared virtual IP on the VLAN link." }),
  dhcpOptions: withMeta(dhcpOptionsSchema, { doc: "DHCP settings (dhcp must be true)." }),
});

const wireguardSchema = obj({
  privateKey: str({ doc: "Base64 private key (wg genkey)." }),
  listenPort: int({ doc: "UDP port to listen on." }),
  firewallMark: int({ doc: "Firewall mark of outgoing packets." }),
  peers: list(
    obj({
      publicKey: str({ doc: "Base64 public key of the peer." }),
      endpoint: str({ doc: "Peer endpoint as host:port." }),
      persistentKeepaliveInterval: duration({ doc: "Keepalive interval, e.g. 25s." }),
      allowedIPs: strings("Addresses (CIDR) routed to this peer."),
    }),
    { doc: "WireGuard peers." },
  ),
});

/** Keyed merge of `machine.network.interfaces`: same `interface` name, or an equal `deviceSelector`. */
export function sameNetworkDevice(existing: unknown, patch: unknown): boolean {
  const a = asObj(existing);
  const b = asObj(patch);
  const name = typeof b["interface"] === "string" ? b["interface"] : "";
  if (name !== "") return a["interface"] === name;
  if (b["deviceSelector"] === undefined || a["deviceSelector"] === undefined) return false;
  const sa = asObj(a["deviceSelector"]);
  const sb = asObj(b["deviceSelector"]);
  return Object.keys(deviceSelectorSchema.fields).every((k) => (sa[k] ?? "") === (sb[k] ?? ""));
}

/** Keyed merge of VLANs: same `vlanId`. */
export function sameVlan(existing: unknown, patch: unknown): boolean {
  return (asObj(existing)["vlanId"] ?? 0) === (asObj(patch)["vlanId"] ?? 0);
}

/** Keyed merge of API server admission plugins: same `name`. */
export function sameAdmissionPlugin(existing: unknown, patch: unknown): boolean {
  return (asObj(existing)["name"] ?? "") === (asObj(patch)["name"] ?? "");
}

/** One entry of `machine.network.interfaces`. */
export const networkDeviceSchema = obj({
  interface: str({ doc: "Link name, e.g. eth0 (or use deviceSelector).", examples: ["enp0s3"] }),
  deviceSelector: withMeta(deviceSelectorSchema, {
    doc: "Picks the link by hardware properties instead of by name.",
    examples: [{ busPath: "00:*" }, { hardwareAddr: "*:f0:ab", driver: "virtio" }],
  }),
  addresses: strings("Static addresses (CIDR, or a plain IP for a single host).", [["10.5.0.0/16", "192.168.3.7"]]),
  cidr: str({ doc: "Legacy single address of the link.", deprecated: "use addresses" }),
  routes: list(routeSchema, {
    doc: "Static routes over this link.",
    examples: [
      [
        { network: "0.0.0.0/0", gateway: "10.5.0.1" },
        { network: "10.2.0.0/16", gateway: "10.2.0.1" },
      ],
    ],
  }),
  bond: withMeta(bondSchema, {
    doc: "Make this link a bond.",
    examples: [{ interfaces: ["enp2s0", "enp2s1"], mode: "802.3ad", lacpRate: "fast" }],
  }),
  bridge: withMeta(bridgeSchema, {
    doc: "Make this link a bridge.",
    examples: [{ interfaces: ["enxda4042ca9a51", "enxae2a6774c259"], stp: { enabled: true } }],
  }),
  vlans: list(vlanSchema, { doc: "VLAN links on top of this link.", merge: { match: sameVlan } }),
  mtu: int({ doc: "Link MTU (overrides DHCP)." }),
  dhcp: bool({ doc: "Configure the link with DHCP.", examples: [true] }),
  ignore: bool({ doc: "Leave this link unconfigured." }),
  dummy: bool({ doc: "Create a dummy link with this name." }),
  dhcpOptions: withMeta(dhcpOptionsSchema, {
    doc: "DHCP settings (dhcp must be true).",
    examples: [{ routeMetric: 1024 }],
  }),
  wireguard: withMeta(wireguardSchema, { doc: "Make this link a WireGuard tunnel." }),
  vip: withMeta(vipSchema, {
    doc: "Shared virtual IP moved between control plane nodes.",
    examples: [{ ip: "172.16.199.55" }],
  }),
});

const networkSchema = obj({
  hostname: str({ doc: "Static hostname of the machine.", examples: ["worker-1"] }),
  interfaces: list(networkDeviceSchema, {
    doc: "Per-link network settings (links not listed use DHCP).",
    merge: { match: sameNetworkDevice },
    examples: [
      [
        {
          interface: "enp0s1",
          addresses: ["192.168.2.0/24"],
          routes: [{ network: "0.0.0.0/0", gateway: "192.168.2.1", metric: 1024 }],
          mtu: 1500,
        },
      ],
    ],
  }),
  nameservers: strings("DNS resolvers (default 1.1.1.1 and 8.8.8.8).", [["8.8.8.8", "1.1.1.1"]]),
  extraHostEntries: list(
    obj({
      ip: str({ doc: "IP address of the entry." }),
      aliases: strings("Host names for the IP."),
    }),
    {
      doc: "Extra /etc/hosts entries.",
      examples: [[{ ip: "192.168.1.100", aliases: ["example", "example.domain.tld"] }]],
    },
  ),
  kubespan: obj(
    {
      enabled: bool({ doc: "Enable KubeSpan (needs cluster discovery)." }),
      advertiseKubernetesNetworks: bool({ doc: "Route pod networks over KubeSpan too." }),
      allowDownPeerBypass: bool({ doc: "Send traffic directly when a peer's tunnel is down." }),
      mtu: uint32("KubeSpan link MTU (default 1420)."),
      filters: obj(
        {
          endpoints: strings("Which node addresses to advertise as endpoints; prefix with ! to exclude.", [
            ["0.0.0.0/0", "!192.168.0.0/16", "::/0"],
          ]),
        },
        { doc: "Advanced KubeSpan address filters." },
      ),
    },
    { doc: "KubeSpan WireGuard mesh settings.", examples: [{ enabled: true }] },
  ),
  disableSearchDomain: bool({ doc: "Do not derive a DNS search domain from the hostname." }),
});

const diskSelectorSchema = obj({
  size: str({ doc: "Disk size, optionally with a comparison (4GB, >= 1TB)." }),
  name: str({ doc: "Disk name (/sys/block/<dev>/device/name)." }),
  model: str({ doc: "Disk model, wildcards allowed." }),
  serial: str({ doc: "Disk serial number." }),
  modalias: str({ doc: "Disk modalias." }),
  uuid: str({ doc: "Disk UUID." }),
  wwid: str({ doc: "Disk WWID." }),
  type: str({ doc: "Disk type: ssd, hdd, nvme or sd." }),
  busPath: str({ doc: "Disk bus path, wildcards allowed." }),
});

const installSchema = obj({
  disk: str({ doc: "Disk to install Talos to.", examples: ["/dev/sda", "/dev/nvme0"] }),
  diskSelector: withMeta(diskSelectorSchema, {
    doc: "Find the install disk by its properties (wins over disk).",
    examples: [{ size: "4GB", model: "WDC*" }],
  }),
  extraKernelArgs: strings("Extra kernel arguments; -name removes a default one.", [
    ["talos.platform=metal", "reboot=k"],
  ]),
  image: str({ doc: "Installer image.", examples: ["ghcr.io/siderolabs/installer:latest"] }),
  extensions: list(obj({ image: str({ doc: "System extension image." }) }), {
    doc: "System extension images installed on top of Talos.",
    deprecated: "build a custom installer image instead",
  }),
  bootloader: bool({ doc: "Legacy option without effect." }),
  wipe: bool({ doc: "Wipe the install disk before installing." }),
  legacyBIOSSupport: bool({ doc: "Mark the MBR partition bootable for legacy BIOS." }),
});

const encryptionKeySchema = obj({
  static: obj({ passphrase: str({ doc: "The passphrase." }) }, { doc: "Key stored in the config." }),
  nodeID: obj({}, { doc: "Key derived from the node UUID and partition label." }),
  kms: obj({ endpoint: str({ doc: "KMS endpoint used to seal/unseal the key." }) }, { doc: "Key sealed by a KMS." }),
  slot: int({ doc: "LUKS2 key slot." }),
  tpm: obj({}, { doc: "Key sealed by the TPM." }),
});

const encryptionSchema = obj({
  provider: str({ doc: "Encryption provider (luks2)." }),
  keys: list(encryptionKeySchema, { doc: "Keys able to unlock the partition." }),
  cipher: str({ doc: "Cipher, e.g. aes-xts-plain64." }),
  keySize: uint64("Key length."),
  blockSize: uint64("Sector size."),
  options: strings("Extra LUKS2 --perf options."),
});

const featuresSchema = obj({
  rbac: bool({ doc: "Enforce Talos API roles (RBAC)." }),
  stableHostname: bool({ doc: "Derive a stable default hostname." }),
  kubernetesTalosAPIAccess: obj(
    {
      enabled: bool({ doc: "Allow pods to reach the Talos API." }),
      allowedRoles: strings("Talos roles pods may be granted."),
      allowedKubernetesNamespaces: strings("Namespaces whose pods may get access."),
    },
    {
      doc: "Talos API access from Kubernetes pods.",
      examples: [{ enabled: true, allowedRoles: ["os:reader"], allowedKubernetesNamespaces: ["kube-system"] }],
    },
  ),
  apidCheckExtKeyUsage: bool({ doc: "Check client certificate extended key usage in apid." }),
  diskQuotaSupport: bool({ doc: "Enable XFS project quotas on EPHEMERAL." }),
  kubePrism: obj(
    {
      enabled: bool({ doc: "Run the local API server load balancer." }),
      port: int({ doc: "Port of the local load balancer." }),
    },
    { doc: "KubePrism: in-cluster load balancer for the Kubernetes API." },
  ),
});

const registriesSchema = obj({
  mirrors: map(
    obj({
      endpoints: strings("Mirror endpoints, tried in order."),
      overridePath: bool({ doc: "Use the endpoint path as is (do not append /v2/)." }),
    }),
    {
      doc: "Pull-through mirrors per registry host (* for any).",
      examples: [{ "docker.io": { endpoints: ["https://registry.local"] } }],
    },
  ),
  config: map(
    obj({
      tls: obj(
        {
          clientIdentity: withMeta(certAndKeySchema, { doc: "Client certificate for mutual TLS." }),
          ca: str({ format: "base64", doc: "Base64 CA certificate trusted for the registry." }),
          insecureSkipVerify: bool({ doc: "Skip server certificate verification." }),
        },
        { doc: "TLS settings of the registry." },
      ),
      auth: obj(
        {
          username: str({ doc: "Registry user name." }),
          password: str({ doc: "Registry password." }),
          auth: str({ doc: "Base64 user:password, as in .docker/config.json." }),
          identityToken: str({ doc: "Registry identity token." }),
        },
        { doc: "Registry credentials." },
      ),
    }),
    { doc: "TLS and auth settings per registry host." },
  ),
});

const machineSchema = obj({
  type: str({ doc: "Machine role: controlplane or worker." }),
  token: str({ doc: "Token a machine uses to join the cluster's machine PKI." }),
  ca: withMeta(certAndKeySchema, { doc: "Machine (Talos API) CA certificate and key." }),
  certSANs: strings("Extra SANs for the machine's Talos API certificate.", [["10.0.0.10", "172.16.0.10"]]),
  controlPlane: obj(
    {
      controllerManager: obj(
        { disabled: bool({ doc: "Do not run kube-controller-manager here." }) },
        { doc: "kube-controller-manager on this node." },
      ),
      scheduler: obj(
        { disabled: bool({ doc: "Do not run kube-scheduler here." }) },
        { doc: "kube-scheduler on this node." },
      ),
    },
    { doc: "Per-node control plane component settings." },
  ),
  kubelet: withMeta(kubeletSchema, { doc: "Kubelet settings." }),
  pods: list(unstructured(), {
    doc: "Static pods run by the kubelet directly.",
    examples: [
      [
        {
          apiVersion: "v1",
          kind: "pod",
          metadata: { name: "nginx" },
          spec: { containers: [{ image: "nginx", name: "nginx" }] },
        },
      ],
    ],
  }),
  network: withMeta(networkSchema, { doc: "Machine network settings." }),
  disks: list(
    obj({
      device: str({ doc: "Disk device, e.g. /dev/sdb." }),
      partitions: list(
        obj({
          size: scalar(["int", "string"], {
            format: "byte-size",
            doc: "Partition size (bytes or 100 MB); 0 fills the disk.",
          }),
          mountpoint: str({ doc: "Where to mount the partition (under /var)." }),
        }),
        { doc: "Partitions to create." },
      ),
    }),
    {
      doc: "Extra disks to partition, format and mount.",
      examples: [[{ device: "/dev/sdb", partitions: [{ mountpoint: "/var/mnt/extra" }] }]],
    },
  ),
  install: withMeta(installSchema, { doc: "How Talos is installed to disk." }),
  files: list(
    obj({
      content: str({ doc: "File contents." }),
      permissions: int({ octal: true, min: 0, doc: "File mode (octal)." }),
      path: str({ doc: "File path." }),
      op: str({ doc: "create, append or overwrite." }),
    }),
    {
      doc: "Extra files written to the machine.",
      examples: [[{ content: "...", permissions: 0o666, path: "/tmp/file.txt", op: "append" }]],
    },
  ),
  env: stringMap("Environment variables for all Talos services.", [
    { GRPC_GO_LOG_SEVERITY_LEVEL: "info", GRPC_GO_LOG_VERBOSITY_LEVEL: "99", https_proxy: "http://SERVER:PORT/" },
  ]),
  time: obj(
    {
      disabled: bool({ doc: "Disable time sync." }),
      servers: strings("NTP servers (default pool.ntp.org)."),
      bootTimeout: duration({ doc: "How long boot waits for time sync." }),
    },
    {
      doc: "Time sync settings.",
      examples: [{ disabled: false, servers: ["time.cloudflare.com"], bootTimeout: "2m0s" }],
    },
  ),
  sysctls: stringMap("Kernel sysctls.", [{ "kernel.domainname": "talos.dev", "net.ipv4.ip_forward": "0" }]),
  sysfs: stringMap("sysfs settings.", [{ "devices.system.cpu.cpu0.cpufreq.scaling_governor": "performance" }]),
  registries: withMeta(registriesSchema, { doc: "Container image registry mirrors and credentials." }),
  systemDiskEncryption: obj(
    {
      state: withMeta(encryptionSchema, { doc: "STATE partition encryption." }),
      ephemeral: withMeta(encryptionSchema, { doc: "EPHEMERAL partition encryption." }),
    },
    {
      doc: "System partition encryption.",
      examples: [{ ephemeral: { provider: "luks2", keys: [{ nodeID: {}, slot: 0 }] } }],
    },
  ),
  features: withMeta(featuresSchema, { doc: "Optional Talos features." }),
  udev: obj({ rules: strings("udev rules.") }, { doc: "udev settings." }),
  logging: obj(
    {
      destinations: list(
        obj({
          endpoint: str({ format: "url", doc: "Log receiver, tcp:// or udp:// URL." }),
          format: str({ doc: "Log format (json_lines)." }),
        }),
        { doc: "Where to send service logs." },
      ),
    },
    {
      doc: "Service log forwarding.",
      examples: [{ destinations: [{ endpoint: "tcp://1.2.3.4:12345", format: "json_lines" }] }],
    },
  ),
  kernel: obj(
    {
      modules: list(
        obj({
          name: str({ doc: "Module name." }),
          parameters: strings("Module parameters."),
        }),
        { doc: "Kernel modules to load." },
      ),
    },
    { doc: "Kernel settings.", examples: [{ modules: [{ name: "btrfs" }] }] },
  ),
  seccompProfiles: list(
    obj({
      name: str({ doc: "Profile file name." }),
      value: unstructured("Profile contents."),
    }),
    {
      doc: "Seccomp profiles made available to pods.",
      examples: [[{ name: "audit.json", value: { defaultAction: "SCMP_ACT_LOG" } }]],
    },
  ),
  nodeLabels: stringMap("Labels applied to the Kubernetes node.", [{ exampleLabel: "exampleLabelValue" }]),
  nodeTaints: stringMap("Taints applied to the Kubernetes node (value:effect).", [
    { exampleTaint: "exampleTaintValue:NoSchedule" },
  ]),
});

const volumeMount = obj({
  hostPath: str({ doc: "Path on the host." }),
  mountPath: str({ doc: "Path in the container." }),
  readonly: bool({ doc: "Mount read-only." }),
});
const resourcesSchema = obj({
  requests: unstructured("Reserved cpu/memory."),
  limits: unstructured("Maximum cpu/memory."),
});

const apiServerSchema = obj({
  image: str({ doc: "kube-apiserver image." }),
  extraArgs: stringMap("Extra kube-apiserver flags."),
  extraVolumes: list(volumeMount, { doc: "Extra host volumes for the static pod." }),
  env: stringMap("Extra environment variables."),
  certSANs: strings("Extra SANs for the API server certificate."),
  disablePodSecurityPolicy: bool({ doc: "Turn off PodSecurityPolicy." }),
  admissionControl: list(
    obj({
      name: str({ doc: "Admission plugin name." }),
      configuration: unstructured("Plugin configuration."),
    }),
    { doc: "Admission plugin configuration.", merge: { match: sameAdmissionPlugin } },
  ),
  auditPolicy: unstructured("Audit policy.", { replace: true }),
  resources: withMeta(resourcesSchema, { doc: "Pod resources." }),
});

const controllerManagerSchema = obj({
  image: str({ doc: "kube-controller-manager image." }),
  extraArgs: stringMap("Extra kube-controller-manager flags."),
  extraVolumes: list(volumeMount, { doc: "Extra host volumes for the static pod." }),
  env: stringMap("Extra environment variables."),
  resources: withMeta(resourcesSchema, { doc: "Pod resources." }),
});

const proxySchema = obj({
  disabled: bool({ doc: "Do not deploy kube-proxy." }),
  image: str({ doc: "kube-proxy image." }),
  mode: str({ doc: "Proxy mode (default iptables)." }),
  extraArgs: stringMap("Extra kube-proxy flags."),
});

const schedulerSchema = obj({
  image: str({ doc: "kube-scheduler image." }),
  extraArgs: stringMap("Extra kube-scheduler flags."),
  extraVolumes: list(volumeMount, { doc: "Extra host volumes for the static pod." }),
  env: stringMap("Extra environment variables."),
  resources: withMeta(resourcesSchema, { doc: "Pod resources." }),
  config: unstructured("Custom KubeSchedulerConfiguration."),
});

const clusterNetworkSchema = obj({
  cni: obj(
    {
      name: str({ doc: "CNI: flannel, custom or none." }),
      urls: strings("Manifests of a custom CNI."),
      flannel: obj({ extraArgs: strings("Extra flanneld flags.") }, { doc: "Flannel settings." }),
    },
    {
      doc: "CNI plugin.",
      examples: [{ name: "custom", urls: ["https://docs.projectcalico.org/archive/v3.20/manifests/canal.yaml"] }],
    },
  ),
  dnsDomain: str({ doc: "Kubernetes DNS domain." }),
  podSubnets: list(str(), { doc: "Pod network CIDRs.", merge: "replace" }),
  serviceSubnets: list(str(), { doc: "Service network CIDRs.", merge: "replace" }),
});

const etcdSchema = obj({
  image: str({ doc: "etcd image." }),
  ca: withMeta(certAndKeySchema, { doc: "etcd CA certificate and key." }),
  extraArgs: stringMap("Extra etcd flags."),
  subnet: str({ doc: "Legacy advertised subnet (use advertisedSubnets)." }),
  advertisedSubnets: strings("Subnets to pick the advertised etcd address from.", [["10.0.0.0/8"]]),
  listenSubnets: strings("Subnets etcd listens on."),
});

const clusterSchema = obj({
  id: str({ doc: "Cluster ID (base64 of 32 random bytes)." }),
  secret: str({ doc: "Cluster secret (base64 of 32 random bytes), never sent over the network." }),
  controlPlane: obj(
    {
      endpoint: str({ format: "url", doc: "Cluster endpoint URL.", examples: ["https://1.2.3.4:6443"] }),
      localAPIServerPort: int({ doc: "Port the API server listens on (default 6443)." }),
    },
    { doc: "Control plane endpoint." },
  ),
  clusterName: str({ doc: "Cluster name." }),
  network: withMeta(clusterNetworkSchema, { doc: "Kubernetes network settings." }),
  token: str({ doc: "Kubernetes bootstrap token." }),
  aescbcEncryptionSecret: str({ doc: "AES-CBC key for secrets encryption at rest." }),
  secretboxEncryptionSecret: str({ doc: "Secretbox key for secrets encryption at rest." }),
  ca: withMeta(certAndKeySchema, { doc: "Kubernetes CA certificate and key." }),
  aggregatorCA: withMeta(certAndKeySchema, { doc: "Front-proxy (aggregation) CA certificate and key." }),
  serviceAccount: withMeta(keyOnlySchema, { doc: "Service account token signing key." }),
  apiServer: withMeta(apiServerSchema, { doc: "kube-apiserver settings." }),
  controllerManager: withMeta(controllerManagerSchema, { doc: "kube-controller-manager settings." }),
  proxy: withMeta(proxySchema, { doc: "kube-proxy settings." }),
  scheduler: withMeta(schedulerSchema, { doc: "kube-scheduler settings." }),
  discovery: obj(
    {
      enabled: bool({ doc: "Enable cluster member discovery." }),
      registries: obj(
        {
          kubernetes: obj(
            { disabled: bool({ doc: "Turn this registry off." }) },
            { doc: "Discovery through Kubernetes nodes." },
          ),
          service: obj(
            {
              disabled: bool({ doc: "Turn this registry off." }),
              endpoint: str({ doc: "Discovery service URL." }),
            },
            { doc: "Discovery through the discovery service." },
          ),
        },
        { doc: "Discovery registries." },
      ),
    },
    { doc: "Cluster member discovery." },
  ),
  etcd: withMeta(etcdSchema, { doc: "etcd settings." }),
  coreDNS: obj(
    {
      disabled: bool({ doc: "Do not deploy CoreDNS." }),
      image: str({ doc: "CoreDNS image." }),
    },
    { doc: "CoreDNS settings." },
  ),
  externalCloudProvider: obj(
    {
      enabled: bool({ doc: "Use an external cloud provider." }),
      manifests: strings("Manifests of the cloud provider."),
    },
    { doc: "External cloud provider." },
  ),
  extraManifests: strings("URLs of extra manifests applied at bootstrap.", [
    ["https://www.example.com/manifest1.yaml", "https://www.example.com/manifest2.yaml"],
  ]),
  extraManifestHeaders: stringMap("HTTP headers used to fetch extraManifests."),
  inlineManifests: list(
    obj({
      name: str({ doc: "Unique manifest name." }),
      contents: str({ doc: "Manifest YAML." }),
    }),
    {
      doc: "Manifests applied at bootstrap, given inline.",
      examples: [[{ name: "namespace-ci", contents: "apiVersion: v1\nkind: Namespace\nmetadata:\n    name: ci\n" }]],
    },
  ),
  adminKubeconfig: obj(
    { certLifetime: duration({ doc: "Admin kubeconfig certificate lifetime (default 1 year)." }) },
    { doc: "Admin kubeconfig settings." },
  ),
  allowSchedulingOnMasters: bool({ doc: "Legacy name of allowSchedulingOnControlPlanes." }),
  allowSchedulingOnControlPlanes: bool({ doc: "Allow workloads on control plane nodes." }),
});

/** The complete v1alpha1 document. */
export const v1alpha1Schema = obj({
  version: str({ doc: "Config document version (v1alpha1)." }),
  debug: bool({ doc: "Send all service logs to the console." }),
  persist: bool({ doc: "Keep the config across reboots (must be true)." }),
  machine: withMeta(machineSchema, { doc: "Machine settings." }),
  cluster: withMeta(clusterSchema, { doc: "Cluster settings." }),
});

export type V1Alpha1Config = Infer<typeof v1alpha1Schema>;
export type MachineSection = Infer<typeof machineSchema>;
export type ClusterSection = Infer<typeof clusterSchema>;
export type KubeletSection = Infer<typeof kubeletSchema>;
export type MachineNetworkSection = Infer<typeof networkSchema>;
export type NetworkDevice = Infer<typeof networkDeviceSchema>;
export type NetworkVlan = Infer<typeof vlanSchema>;
export type NetworkRoute = Infer<typeof routeSchema>;
export type NetworkBond = Infer<typeof bondSchema>;
export type InstallSection = Infer<typeof installSchema>;
export type FeaturesSection = Infer<typeof featuresSchema>;
export type RegistriesSection = Infer<typeof registriesSchema>;
export type EncryptionSection = Infer<typeof encryptionSchema>;
export type ClusterNetworkSection = Infer<typeof clusterNetworkSchema>;
export type APIServerSection = Infer<typeof apiServerSchema>;
export type ControllerManagerSection = Infer<typeof controllerManagerSchema>;
export type ProxySection = Infer<typeof proxySchema>;
export type SchedulerSection = Infer<typeof schedulerSchema>;
export type EtcdSection = Infer<typeof etcdSchema>;
export type CertAndKey = Infer<typeof certAndKeySchema>;

/** Schemas of the main sections, for code that works on one part of the document. */
export const v1alpha1Sections = {
  machine: machineSchema,
  cluster: clusterSchema,
  kubelet: kubeletSchema,
  network: networkSchema,
  install: installSchema,
  features: featuresSchema,
  apiServer: apiServerSchema,
  etcd: etcdSchema,
} as const satisfies Record<string, Schema>;
