// The Docker API objects for a cluster, built as plain data (talosctl's docker provisioner, pkg/provision/providers/docker).
import { Buffer } from "node:buffer";
import { dirname, basename as pathBasename } from "node:path";
import type Docker from "dockerode";
import { DAEMON_NODE_FLAGS } from "../image/build.ts";
import { IMAGE_PATHS } from "../image/rootfs.ts";
import { gatewayOf, type Ipv4Network, macFromIp } from "../net.ts";
import type { ClusterRequest, NodeRequest, PortMapping } from "../provisioner.ts";
import { clusterLabels, discoveryServiceLabels, nodeLabels } from "./labels.ts";

/** The network option carrying the MTU (podman reports it back as "mtu"). */
export const MTU_OPTION = "com.docker.network.driver.mtu";

/** Ports the first control plane publishes: apid and the Kubernetes API. */
export const DEFAULT_CONTROLPLANE_PORTS: readonly PortMapping[] = [
  { host: 50000, container: 50000, protocol: "tcp" },
  { host: 6443, container: 6443, protocol: "tcp" },
];

/**
 * tmpfs mounts of every node. (Podman's compat API also always mounts a tmpfs on /var/tmp, over the /var
 * volume, for read-only containers: its `--read-only-tmpfs` default cannot be switched off there.)
 */
export const NODE_TMPFS: readonly string[] = ["/run", "/system", "/tmp"];

/** Anonymous volumes of every node (Talos's list): /var and /system/state keep config and identity. */
export const NODE_VOLUMES: readonly string[] = [
  "/var",
  "/system/state",
  "/etc/cni",
  "/etc/kubernetes",
  "/usr/libexec/kubernetes",
  "/opt",
];

/**
 * Seconds `stop` waits after SIGTERM before SIGKILL. Docker's default; set explicitly because podman's
 * compat API otherwise stores 0, which makes `stop` kill the node at once.
 */
export const STOP_TIMEOUT_SECONDS = 10;

/** Commands that switch podman into "systemd mode" (exact paths, or a basename of "systemd"). */
const PODMAN_SYSTEMD_COMMANDS = new Set(["/sbin/init", "/usr/sbin/init", "/usr/local/sbin/init"]);

/** Talos's TALOSSKU value: whole CPUs and MiB of RAM, e.g. "2CPU-2048RAM" (0 when unlimited). */
export function talosSku(nanoCpus = 0, memoryBytes = 0): string {
  return `${Math.floor(nanoCpus / 1e9)}CPU-${Math.floor(memoryBytes / (1024 * 1024))}RAM`;
}

/** The network create request: a bridge named after the cluster, gateway = network + 1. */
export function networkSpec(req: ClusterRequest, net: Ipv4Network): Docker.NetworkCreateOptions {
  return {
    Name: req.name,
    Driver: "bridge",
    CheckDuplicate: true,
    IPAM: { Driver: "default", Config: [{ Subnet: net.cidr, Gateway: gatewayOf(net) }] },
    Options: { [MTU_OPTION]: String(req.mtu) },
    Labels: clusterLabels(req.name),
  };
}

/** The ports a node publishes: the defaults on the first control plane (when publishing), then its own. */
export function publishedPorts(node: NodeRequest, firstControlPlane: boolean, publishDefaults: boolean): PortMapping[] {
  const ports = firstControlPlane && publishDefaults ? [...DEFAULT_CONTROLPLANE_PORTS] : [];
  return [...ports, ...(node.ports ?? [])];
}

/**
 * Podman turns on "systemd mode" (SIGRTMIN+3 stop signal, tmpfs on /run/lock and /var/log/journal over the
 * /var volume, a container_uuid env) when the command is /sbin/init and its compat API cannot switch it off.
 * Returns the entrypoint and command with the first path spelled differently (`/sbin/./init`, same file),
 * or undefined when the command does not trigger it.
 */
export function podmanSafeCommand(
  entrypoint: readonly string[] | null | undefined,
  cmd: readonly string[] | null | undefined,
): { Entrypoint: string[]; Cmd: string[] } | undefined {
  const ep = [...(entrypoint ?? [])];
  const args = [...(cmd ?? [])];
  const list = ep.length > 0 ? ep : args;
  const first = list[0];
  if (first === undefined) return undefined;
  const base = pathBasename(first);
  if (!PODMAN_SYSTEMD_COMMANDS.has(first) && base !== "systemd") return undefined;
  list[0] = `${dirname(first) === "/" ? "" : dirname(first)}/./${base}`;
  return { Entrypoint: ep, Cmd: args };
}

export interface ContainerSpecOptions {
  /** Ports to publish (see publishedPorts). */
  ports: readonly PortMapping[];
  /** Host address published ports bind to. */
  hostIp: string;
  /** Replaces the image's entrypoint and command (see podmanSafeCommand). */
  command?: { Entrypoint: string[]; Cmd: string[] };
}

/** The container create request of one node. */
export function containerSpec(
  req: ClusterRequest,
  node: NodeRequest,
  opts: ContainerSpecOptions,
): Docker.ContainerCreateOptions {
  const env = ["PLATFORM=container", `TALOSSKU=${talosSku(node.nanoCpus, node.memoryBytes)}`];
  if (node.config !== undefined) env.push(`USERDATA=${Buffer.from(node.config, "utf8").toString("base64")}`);
  const mac = macFromIp(node.ip);
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of opts.ports) {
    const key = `${p.container}/${p.protocol}`;
    exposed[key] = {};
    bindings[key] = [...(bindings[key] ?? []), { HostIp: opts.hostIp, HostPort: String(p.host) }];
  }
  const hostConfig: Docker.HostConfig = {
    Privileged: true,
    SecurityOpt: ["seccomp=unconfined"],
    ReadonlyRootfs: true,
    Tmpfs: Object.fromEntries(NODE_TMPFS.map((p) => [p, ""])),
    Sysctls: { "net.ipv6.conf.all.disable_ipv6": "0" },
    NetworkMode: req.name,
    PortBindings: bindings,
    RestartPolicy: { Name: "no" },
  };
  if (node.memoryBytes !== undefined) hostConfig.Memory = node.memoryBytes;
  if (node.nanoCpus !== undefined) hostConfig.NanoCpus = node.nanoCpus;
  return {
    name: node.name,
    Hostname: node.name,
    Image: req.image,
    Env: env,
    Labels: nodeLabels(req.name, node.type),
    Volumes: Object.fromEntries(NODE_VOLUMES.map((p) => [p, {}])),
    ExposedPorts: exposed,
    StopSignal: "SIGTERM",
    StopTimeout: STOP_TIMEOUT_SECONDS,
    // Engines before API 1.44 read the MAC here; podman 4.3 and newer Docker read the endpoint's.
    MacAddress: mac,
    ...(opts.command ?? {}),
    HostConfig: hostConfig,
    NetworkingConfig: {
      EndpointsConfig: { [req.name]: { IPAMConfig: { IPv4Address: node.ip }, MacAddress: mac } },
    },
  };
}

/** The name of a cluster's discovery service container. */
export function discoveryServiceName(cluster: string): string {
  return `${cluster}-discovery-service`;
}

/**
 * The container of the cluster's discovery service: the node image running the discovery-service bundle
 * (unprivileged, read-only, a small memory cap) at a static address of the cluster network.
 */
export function discoveryServiceSpec(
  req: ClusterRequest,
  service: { ip: string; port: number },
): Docker.ContainerCreateOptions {
  const mac = macFromIp(service.ip);
  return {
    name: discoveryServiceName(req.name),
    Hostname: discoveryServiceName(req.name),
    Image: req.image,
    Entrypoint: [IMAGE_PATHS.tini, "-s", "-g", "--"],
    Cmd: [IMAGE_PATHS.node, ...DAEMON_NODE_FLAGS, IMAGE_PATHS.discoveryService, "--addr", `0.0.0.0:${service.port}`],
    Labels: discoveryServiceLabels(req.name),
    StopSignal: "SIGTERM",
    StopTimeout: STOP_TIMEOUT_SECONDS,
    MacAddress: mac,
    HostConfig: {
      ReadonlyRootfs: true,
      Memory: 256 * 1024 * 1024,
      NetworkMode: req.name,
      RestartPolicy: { Name: "no" },
    },
    NetworkingConfig: {
      EndpointsConfig: { [req.name]: { IPAMConfig: { IPv4Address: service.ip }, MacAddress: mac } },
    },
  };
}
