import { decodeConfig, findDocument, type MachineConfig, V1ALPHA1_KIND } from "@talos/machinery/config";
import { DEFAULT_DISCOVERY_ENDPOINT } from "@talos/machinery/constants";

/** The facts of a machine config the node acts on, read once per config version. */
export interface NodeConfig {
  readonly text: string;
  readonly config: MachineConfig;
  readonly machineType: "controlplane" | "worker" | "init";
  /** OS CA (`machine.ca`), base64 PEM; the key is empty on workers. */
  readonly osCA: { readonly crt: string; readonly key: string };
  readonly certSANs: readonly string[];
  readonly hostname?: string;
  readonly rbac: boolean;
  readonly apidCheckExtKeyUsage: boolean;
  readonly clusterName?: string;
  /** `machine.token`: what joining nodes present to trustd. */
  readonly machineToken: string;
  /** `cluster.controlPlane.endpoint` (the Kubernetes API URL). */
  readonly clusterEndpoint: string;
  /** `cluster.ca` with its key (control plane only). */
  readonly kubernetesCA: { readonly crt: string; readonly key: string } | undefined;
  /** `cluster.etcd` (control plane only). */
  readonly etcd: {
    readonly ca: { readonly crt: string; readonly key: string } | undefined;
    readonly extraArgs: Readonly<Record<string, string>>;
    readonly advertisedSubnets: readonly string[];
    readonly listenSubnets: readonly string[];
  };
  /** `cluster.discovery` with `cluster.id`/`cluster.secret` (Talos's DiscoveryConfig). */
  readonly discovery: {
    readonly enabled: boolean;
    /** The service registry is on (enabled unless `registries.service.disabled`). */
    readonly serviceEnabled: boolean;
    /** The Kubernetes registry is on (enabled unless `registries.kubernetes.disabled`). */
    readonly kubernetesEnabled: boolean;
    readonly serviceEndpoint: string;
    readonly clusterId: string;
    /** base64 of the 32-byte AES key. */
    readonly clusterSecret: string;
  };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Decodes a machine config (strict) and extracts what the node needs. */
export function readNodeConfig(text: string, source: string): NodeConfig {
  const config = decodeConfig(text, source);
  const doc = findDocument(config, V1ALPHA1_KIND);
  if (doc === undefined) throw new Error(`${source}: no v1alpha1 machine config document`);
  const machine = obj(doc.value["machine"]);
  const ca = obj(machine["ca"]);
  const features = obj(machine["features"]);
  const type = str(machine["type"]) ?? "worker";
  const cluster = obj(doc.value["cluster"]);
  const etcd = obj(cluster["etcd"]);
  const etcdCA = obj(etcd["ca"]);
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const discovery = obj(cluster["discovery"]);
  const registries = obj(discovery["registries"]);
  const serviceRegistry = obj(registries["service"]);
  return {
    text,
    config,
    machineType: type === "controlplane" || type === "init" ? type : "worker",
    osCA: { crt: str(ca["crt"]) ?? "", key: str(ca["key"]) ?? "" },
    certSANs: Array.isArray(machine["certSANs"]) ? (machine["certSANs"] as unknown[]).map(String) : [],
    hostname: str(obj(machine["network"])["hostname"]) || undefined,
    rbac: features["rbac"] === true,
    apidCheckExtKeyUsage: features["apidCheckExtKeyUsage"] === true,
    clusterName: str(cluster["clusterName"]),
    machineToken: str(machine["token"]) ?? "",
    clusterEndpoint: str(obj(cluster["controlPlane"])["endpoint"]) ?? "",
    kubernetesCA:
      str(obj(cluster["ca"])["key"]) !== undefined && str(obj(cluster["ca"])["key"]) !== ""
        ? { crt: str(obj(cluster["ca"])["crt"]) ?? "", key: str(obj(cluster["ca"])["key"]) ?? "" }
        : undefined,
    etcd: {
      ca:
        str(etcdCA["crt"]) !== undefined ? { crt: str(etcdCA["crt"]) ?? "", key: str(etcdCA["key"]) ?? "" } : undefined,
      extraArgs: Object.fromEntries(Object.entries(obj(etcd["extraArgs"])).map(([k, v]) => [k, String(v)])),
      advertisedSubnets: strings(etcd["advertisedSubnets"]),
      listenSubnets: strings(etcd["listenSubnets"]),
    },
    discovery: {
      enabled: discovery["enabled"] === true,
      serviceEnabled: serviceRegistry["disabled"] !== true,
      kubernetesEnabled: obj(registries["kubernetes"])["disabled"] !== true,
      serviceEndpoint: str(serviceRegistry["endpoint"]) || DEFAULT_DISCOVERY_ENDPOINT,
      clusterId: str(cluster["id"]) ?? "",
      clusterSecret: str(cluster["secret"]) ?? "",
    },
  };
}

/** The host of the cluster endpoint URL (`https://10.5.0.2:6443` → `10.5.0.2`), or "" if it does not parse. */
export function clusterEndpointHost(config: NodeConfig): string {
  try {
    return new URL(config.clusterEndpoint).hostname.replace(/^\[(.*)\]$/, "$1");
  } catch {
    return "";
  }
}
