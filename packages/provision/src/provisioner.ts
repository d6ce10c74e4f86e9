// What a provisioner is asked for and what it reports: the contract shared by every provisioner (Docker, later QEMU).

export type NodeType = "controlplane" | "worker";

/** A published port: `host` on the host (on the provisioner's host IP) forwarded to `container`. */
export interface PortMapping {
  host: number;
  container: number;
  protocol: "tcp" | "udp" | "sctp";
}

export interface NodeRequest {
  /** Node name; also the container name and hostname. */
  name: string;
  type: NodeType;
  /** Static IPv4 address inside the cluster CIDR (not the network, gateway or broadcast address). */
  ip: string;
  /** Machine config YAML, handed to the node base64-encoded in env USERDATA; absent = maintenance mode. */
  config?: string;
  /** Memory limit in bytes. */
  memoryBytes?: number;
  /** CPU limit in units of 1e-9 CPUs. */
  nanoCpus?: number;
  /** Extra published ports. */
  ports?: PortMapping[];
}

export interface ClusterRequest {
  /** Cluster name; also the network name. */
  name: string;
  /** IPv4 network, e.g. "10.5.0.0/24"; the gateway is its first address. */
  cidr: string;
  mtu: number;
  /** Node image, e.g. "ghcr.io/siderolabs/talos:v1.6.7". */
  image: string;
  nodes: NodeRequest[];
  /**
   * Run an offline discovery service (the image's discovery-service bundle) at this address of the
   * cluster network, for nodes whose config points `cluster.discovery.registries.service.endpoint` at it.
   */
  discoveryService?: { ip: string; port: number };
}

export interface NodeInfo {
  name: string;
  type: NodeType;
  /** "" when the engine no longer knows it (e.g. a removed network). */
  ip: string;
  containerId: string;
  /** The container state as the engine reports it: "created", "running", "exited", … */
  state: string;
}

export interface NetworkInfo {
  name: string;
  /** "", "" and 0 when the network itself is gone but containers of the cluster remain. */
  cidr: string;
  gateway: string;
  mtu: number;
}

/** The cluster's own discovery service, when it runs one. */
export interface DiscoveryServiceInfo {
  ip: string;
  containerId: string;
  state: string;
}

export interface ClusterInfo {
  name: string;
  network: NetworkInfo;
  nodes: NodeInfo[];
  discoveryService?: DiscoveryServiceInfo;
}

/** Progress lines, e.g. "creating network talos-default" (Talos prints them as they happen). */
export type Progress = (message: string) => void;

export interface Provisioner {
  /** Creates the network and nodes and starts them; fails without touching anything if the cluster exists. */
  create(req: ClusterRequest, progress?: Progress): Promise<ClusterInfo>;
  /** Removes every node (with its anonymous volumes) and the network; succeeds quietly if already gone. */
  destroy(name: string, progress?: Progress): Promise<void>;
  /** What exists of a cluster, from the engine's labels; undefined when nothing does. */
  reflect(name: string): Promise<ClusterInfo | undefined>;
  /** Names of the clusters this provisioner owns, sorted. */
  list(): Promise<string[]>;
}
