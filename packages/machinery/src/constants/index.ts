/**
 * Well-known values of the Talos release we are compatible with (v1.6.7): versions, images, ports.
 * Kept in one place so generation, validation and the node agree.
 */

/** The Talos release whose contract (config format, defaults, API) this code implements. */
export const TALOS_VERSION = "v1.6.7";
/** The newest config contract we generate; older ones are selected with `--talos-version`. */
export const CURRENT_CONTRACT = { major: 1, minor: 6 } as const;

export const DEFAULT_KUBERNETES_VERSION = "1.29.3";
export const DEFAULT_DNS_DOMAIN = "cluster.local";
export const DEFAULT_INSTALL_DISK = "/dev/sda";
export const INSTALLER_IMAGE_REPOSITORY = "ghcr.io/siderolabs/installer";
export const DEFAULT_INSTALLER_IMAGE = `${INSTALLER_IMAGE_REPOSITORY}:${TALOS_VERSION}`;

export const KUBELET_IMAGE = "ghcr.io/siderolabs/kubelet";
export const KUBE_APISERVER_IMAGE = "registry.k8s.io/kube-apiserver";
export const KUBE_CONTROLLER_MANAGER_IMAGE = "registry.k8s.io/kube-controller-manager";
export const KUBE_SCHEDULER_IMAGE = "registry.k8s.io/kube-scheduler";
export const KUBE_PROXY_IMAGE = "registry.k8s.io/kube-proxy";
export const DEFAULT_ETCD_IMAGE = "gcr.io/etcd-development/etcd:v3.5.11";
export const DEFAULT_COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.11.1";

export const DEFAULT_POD_SUBNET_IPV4 = "10.244.0.0/16";
export const DEFAULT_SERVICE_SUBNET_IPV4 = "10.96.0.0/12";
export const DEFAULT_POD_SUBNET_IPV6 = "fc00:db8:10::/56";
export const DEFAULT_SERVICE_SUBNET_IPV6 = "fc00:db8:20::/112";

export const APID_PORT = 50000;
export const TRUSTD_PORT = 50001;
export const DEFAULT_CONTROL_PLANE_PORT = 6443;
export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;
export const KUBELET_PORT = 10250;
export const DEFAULT_KUBEPRISM_PORT = 7445;

export const DEFAULT_DISCOVERY_ENDPOINT = "https://discovery.talos.dev/";

/** Lifetime of the admin client certificate in a generated talosconfig: 1 year. */
export const TALOS_API_CLIENT_CERT_LIFETIME_MS = 8760 * 3600 * 1000;
/** Lifetime of generated CAs: 10 years. */
export const CA_LIFETIME_MS = 87600 * 3600 * 1000;

/** Roles of the Talos API, carried in the client certificate's Organization. */
export const ROLE_ADMIN = "os:admin";
export const ROLE_OPERATOR = "os:operator";
export const ROLE_READER = "os:reader";
export const ROLE_ETCD_BACKUP = "os:etcd:backup";
export const ROLE_IMPERSONATOR = "os:impersonator";
