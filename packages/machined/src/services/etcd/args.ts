/** Where etcd keeps its files on a node. */
export interface EtcdPaths {
  readonly dataDir: string;
  readonly pkiDir: string;
}

export interface EtcdSpec {
  /** Member name: the node's hostname. */
  readonly name: string;
  /** Addresses advertised to peers and clients. */
  readonly advertised: readonly string[];
  /** Addresses etcd listens on for peers and clients. */
  readonly listenPeer: readonly string[];
  readonly listenClient: readonly string[];
  /** `cluster.etcd.extraArgs`; fixed flags cannot be overridden. */
  readonly extraArgs: Readonly<Record<string, string>>;
}

export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;

const url = (host: string, port: number) => `https://${host.includes(":") ? `[${host}]` : host}:${port}`;

/** The peer URLs a member advertises. */
export function peerUrls(spec: EtcdSpec): string[] {
  return spec.advertised.map((a) => url(a, ETCD_PEER_PORT));
}

/** `name=https://ip:2380,...` for one member. */
export function initialClusterEntry(name: string, urls: readonly string[]): string {
  return urls.map((u) => `${name}=${u}`).join(",");
}

/** Flags Talos always sets; `extraArgs` may not override them. */
const FIXED = new Set([
  "name",
  "data-dir",
  "listen-peer-urls",
  "listen-client-urls",
  "auto-tls",
  "peer-auto-tls",
  "client-cert-auth",
  "peer-client-cert-auth",
  "cert-file",
  "key-file",
  "trusted-ca-file",
  "peer-cert-file",
  "peer-key-file",
  "peer-trusted-ca-file",
]);

/**
 * etcd's command line (Talos's fixed flags, then the cluster state flags, then extraArgs that do not
 * collide). `initialCluster` is absent when the member rejoins with existing data.
 */
export function etcdArgs(
  spec: EtcdSpec,
  paths: EtcdPaths,
  cluster: { state: "new" | "existing"; initialCluster?: string },
): string[] {
  const flags: [string, string][] = [
    ["name", spec.name],
    ["data-dir", paths.dataDir],
    ["listen-peer-urls", spec.listenPeer.map((a) => url(a, ETCD_PEER_PORT)).join(",")],
    ["listen-client-urls", spec.listenClient.map((a) => url(a, ETCD_CLIENT_PORT)).join(",")],
    ["advertise-client-urls", spec.advertised.map((a) => url(a, ETCD_CLIENT_PORT)).join(",")],
    ["initial-advertise-peer-urls", peerUrls(spec).join(",")],
    ["auto-tls", "false"],
    ["peer-auto-tls", "false"],
    ["client-cert-auth", "true"],
    ["peer-client-cert-auth", "true"],
    ["cert-file", `${paths.pkiDir}/server.crt`],
    ["key-file", `${paths.pkiDir}/server.key`],
    ["trusted-ca-file", `${paths.pkiDir}/ca.crt`],
    ["peer-cert-file", `${paths.pkiDir}/peer.crt`],
    ["peer-key-file", `${paths.pkiDir}/peer.key`],
    ["peer-trusted-ca-file", `${paths.pkiDir}/ca.crt`],
    ["experimental-initial-corrupt-check", "true"],
    ["experimental-watch-progress-notify-interval", "5s"],
    ["initial-cluster-state", cluster.state],
  ];
  if (cluster.initialCluster !== undefined) flags.push(["initial-cluster", cluster.initialCluster]);
  const taken = new Set(flags.map(([k]) => k));
  for (const [k, v] of Object.entries(spec.extraArgs)) {
    if (!FIXED.has(k) && !taken.has(k)) flags.push([k, v]);
  }
  return flags.map(([k, v]) => `--${k}=${v}`);
}
