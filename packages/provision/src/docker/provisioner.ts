// Local clusters as containers on one bridge network, over the Docker Engine API (Docker or podman).
import type Docker from "dockerode";
import type { Engine } from "../engine.ts";
import { parseCidr, parseIpv4 } from "../net.ts";
import type {
  ClusterInfo,
  ClusterRequest,
  NetworkInfo,
  NodeInfo,
  NodeType,
  PortMapping,
  Progress,
  Provisioner,
} from "../provisioner.ts";
import { validateClusterRequest } from "../validate.ts";
import { apiMessage, isNotFound } from "./api.ts";
import { DISCOVERY_SERVICE_TYPE, LABEL_CLUSTER_NAME, LABEL_TYPE, labelFilters, nodeTypeFromLabel } from "./labels.ts";
import {
  containerSpec,
  discoveryServiceName,
  discoveryServiceSpec,
  MTU_OPTION,
  networkSpec,
  podmanSafeCommand,
  publishedPorts,
} from "./spec.ts";

export interface DockerProvisionerOptions {
  /** Publish 50000/tcp and 6443/tcp of the first control plane on the host (Talos does). Default true. */
  publishPorts?: boolean;
  /** Host address published ports bind to. Default "0.0.0.0". */
  hostIp?: string;
  /**
   * On podman, start images whose command is /sbin/init as /sbin/./init so podman's systemd mode stays off
   * (see podmanSafeCommand). Default true.
   */
  podmanSystemdWorkaround?: boolean;
}

const NODE_TYPES: readonly NodeType[] = ["controlplane", "worker"];

/** Talos's docker provisioner over a Docker Engine API (Docker itself or `podman system service`). */
export class DockerProvisioner implements Provisioner {
  readonly docker: Docker;
  readonly kind: Engine["kind"];
  readonly #publishPorts: boolean;
  readonly #hostIp: string;
  readonly #podmanWorkaround: boolean;

  constructor(engine: Pick<Engine, "docker" | "kind">, options: DockerProvisionerOptions = {}) {
    this.docker = engine.docker;
    this.kind = engine.kind;
    this.#publishPorts = options.publishPorts ?? true;
    this.#hostIp = options.hostIp ?? "0.0.0.0";
    this.#podmanWorkaround = options.podmanSystemdWorkaround ?? true;
  }

  async create(req: ClusterRequest, progress: Progress = () => {}): Promise<ClusterInfo> {
    const net = validateClusterRequest(req);
    const firstControlPlane = req.nodes.find((n) => n.type === "controlplane");
    const ports = new Map(
      req.nodes.map((n) => [n.name, publishedPorts(n, n === firstControlPlane, this.#publishPorts)] as const),
    );
    checkHostPorts(req.name, ports);
    const fail = (msg: string) => new Error(`cluster "${req.name}": ${msg}`);

    // Everything that can refuse the request is checked before anything is created.
    const existing = await this.#call(req.name, "listing containers", () =>
      this.docker.listContainers({ all: true, filters: labelFilters(req.name) }),
    );
    if (existing.length > 0) throw new Error(`cluster "${req.name}" already exists`);
    const names = new Set(req.nodes.map((n) => n.name));
    if (req.discoveryService !== undefined) names.add(discoveryServiceName(req.name));
    const clashes = await this.#call(req.name, "listing containers", () =>
      this.docker.listContainers({ all: true, filters: { name: [...names] } }),
    );
    for (const c of clashes) {
      const name = containerName(c);
      if (names.has(name)) {
        throw fail(`container name "${name}" is already in use by container ${c.Id.slice(0, 12)}`);
      }
    }
    const network = await this.#inspectNetwork(req.name);
    if (network !== undefined) {
      const subnets = (network.IPAM?.Config ?? []).map((c) => normalizeCidr(c.Subnet ?? ""));
      if (!subnets.includes(net.cidr)) {
        throw fail(
          `network "${req.name}" already exists with subnet ${subnets.join(", ") || "(none)"}, ` +
            `not ${net.cidr}; remove it or choose another CIDR`,
        );
      }
    }
    const image = await this.#ensureImage(req, progress);
    const command =
      this.kind === "podman" && this.#podmanWorkaround
        ? podmanSafeCommand(image.Config?.Entrypoint as string[] | null, image.Config?.Cmd)
        : undefined;

    const created: Docker.Container[] = [];
    let createdNetwork = false;
    try {
      if (network === undefined) {
        progress(`creating network ${req.name}`);
        await this.#call(req.name, `creating network "${req.name}"`, () =>
          this.docker.createNetwork(networkSpec(req, net)),
        );
        createdNetwork = true;
      }
      if (req.discoveryService !== undefined) {
        // First, so that nodes find it as they boot.
        const service = req.discoveryService;
        progress(`creating discovery service ${discoveryServiceName(req.name)} (${service.ip}:${service.port})`);
        await this.#call(req.name, "creating the discovery service", async () => {
          const c = await this.docker.createContainer(discoveryServiceSpec(req, service));
          created.push(c);
          await c.start();
        });
      }
      for (const type of NODE_TYPES) {
        const group = req.nodes.filter((n) => n.type === type);
        if (group.length === 0) continue;
        progress(`creating ${type} nodes`);
        const containers = await settleAll(
          group.map((node) =>
            this.#call(req.name, `creating node "${node.name}"`, async () => {
              const spec = containerSpec(req, node, {
                ports: ports.get(node.name) ?? [],
                hostIp: this.#hostIp,
                ...(command !== undefined ? { command } : {}),
              });
              const c = await this.docker.createContainer(spec);
              created.push(c);
              return c;
            }),
          ),
        );
        await settleAll(
          containers.map((c, i) => this.#call(req.name, `starting node "${group[i]!.name}"`, () => c.start())),
        );
      }
    } catch (err) {
      const cleanup = await this.#rollback(req.name, created, createdNetwork);
      if (cleanup.length === 0) throw err;
      throw new Error(`${(err as Error).message}\n(cleaning up also failed: ${cleanup.join("; ")})`, { cause: err });
    }

    const info = await this.reflect(req.name);
    if (info === undefined) throw fail("created, but the engine no longer lists it");
    return info;
  }

  async destroy(name: string, progress: Progress = () => {}): Promise<void> {
    const problems: string[] = [];
    const containers = await this.#call(name, "listing containers", () =>
      this.docker.listContainers({ all: true, filters: labelFilters(name) }),
    );
    containers.sort((a, b) => containerName(a).localeCompare(containerName(b)));
    for (const c of containers) {
      const what = c.Labels?.[LABEL_TYPE] === DISCOVERY_SERVICE_TYPE ? "discovery service" : "node";
      progress(`destroying ${what} ${containerName(c)}`);
    }
    // Stop them all at once without a grace period (a forced remove stops them one by one); `stop` rather
    // than `kill`, so that the engine has released the published ports when the removal starts.
    await Promise.all(
      containers
        .filter((c) => c.State === "running")
        .map((c) =>
          this.docker
            .getContainer(c.Id)
            .stop({ t: 0 })
            .catch(() => {}),
        ),
    );
    await Promise.all(
      containers.map(async (c) => {
        try {
          await this.docker.getContainer(c.Id).remove({ force: true, v: true });
        } catch (err) {
          if (!isNotFound(err)) problems.push(`node "${containerName(c)}": ${apiMessage(err)}`);
        }
      }),
    );
    const networks = await this.#call(name, "listing networks", () =>
      this.docker.listNetworks({ filters: labelFilters(name) }),
    );
    for (const n of networks) {
      progress(`destroying network ${n.Name}`);
      try {
        await this.docker.getNetwork(n.Id ?? n.Name).remove();
      } catch (err) {
        if (!isNotFound(err)) problems.push(`network "${n.Name}": ${apiMessage(err)}`);
      }
    }
    if (problems.length > 0) throw new Error(`destroying cluster "${name}":\n  ${problems.join("\n  ")}`);
  }

  async reflect(name: string): Promise<ClusterInfo | undefined> {
    const [containers, networks] = await Promise.all([
      this.#call(name, "listing containers", () =>
        this.docker.listContainers({ all: true, filters: labelFilters(name) }),
      ),
      this.#call(name, "listing networks", () => this.docker.listNetworks({ filters: labelFilters(name) })),
    ]);
    if (containers.length === 0 && networks.length === 0) return undefined;

    // The labelled network, else (a reused, unlabelled one) the network the nodes are on.
    const netName =
      networks.find((n) => n.Name === name)?.Name ??
      networks[0]?.Name ??
      containers.flatMap((c) => Object.keys(c.NetworkSettings?.Networks ?? {})).find((n) => n === name) ??
      containers.flatMap((c) => Object.keys(c.NetworkSettings?.Networks ?? {}))[0] ??
      name;
    const network = networkInfo(netName, await this.#inspectNetwork(netName).catch(() => undefined));

    const addressOf = async (c: Docker.ContainerInfo): Promise<string> => {
      const ip = c.NetworkSettings?.Networks?.[netName]?.IPAddress ?? "";
      if (ip !== "") return ip;
      // A stopped container may have dropped its address; its requested one is in the endpoint config.
      const inspected = await this.docker
        .getContainer(c.Id)
        .inspect()
        .catch(() => undefined);
      return inspected?.NetworkSettings?.Networks?.[netName]?.IPAMConfig?.IPv4Address ?? "";
    };
    const isService = (c: Docker.ContainerInfo) => c.Labels?.[LABEL_TYPE] === DISCOVERY_SERVICE_TYPE;
    const service = containers.find(isService);
    const nodes = await Promise.all(
      containers
        .filter((c) => !isService(c))
        .map(async (c): Promise<NodeInfo> => {
          const ip = await addressOf(c);
          return {
            name: containerName(c),
            type: nodeTypeFromLabel(c.Labels?.[LABEL_TYPE]),
            ip,
            containerId: c.Id,
            state: c.State ?? "",
          };
        }),
    );
    nodes.sort(
      (a, b) =>
        NODE_TYPES.indexOf(a.type) - NODE_TYPES.indexOf(b.type) ||
        (parseIpv4(a.ip) ?? 2 ** 32) - (parseIpv4(b.ip) ?? 2 ** 32) ||
        a.name.localeCompare(b.name),
    );
    return {
      name,
      network,
      nodes,
      ...(service !== undefined
        ? { discoveryService: { ip: await addressOf(service), containerId: service.Id, state: service.State ?? "" } }
        : {}),
    };
  }

  async list(): Promise<string[]> {
    const [containers, networks] = await Promise.all([
      this.#call("*", "listing containers", () => this.docker.listContainers({ all: true, filters: labelFilters() })),
      this.#call("*", "listing networks", () => this.docker.listNetworks({ filters: labelFilters() })),
    ]);
    const names = new Set<string>();
    for (const c of containers) if (c.Labels?.[LABEL_CLUSTER_NAME]) names.add(c.Labels[LABEL_CLUSTER_NAME]);
    for (const n of networks) if (n.Labels?.[LABEL_CLUSTER_NAME]) names.add(n.Labels[LABEL_CLUSTER_NAME]);
    return [...names].sort();
  }

  /** Runs an API call, turning its failure into an Error naming the cluster and what was being done. */
  async #call<T>(cluster: string, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const where = cluster === "*" ? what : `cluster "${cluster}": ${what}`;
      throw new Error(`${where}: ${apiMessage(err)}`, { cause: err });
    }
  }

  async #inspectNetwork(name: string): Promise<Docker.NetworkInspectInfo | undefined> {
    try {
      const n = (await this.docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
      // Docker also resolves ID prefixes; only an exact name counts.
      return n.Name === name ? n : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new Error(`inspecting network "${name}": ${apiMessage(err)}`, { cause: err });
    }
  }

  /** Inspects the image, pulling it first when it is not there (as talosctl does). */
  async #ensureImage(req: ClusterRequest, progress: Progress): Promise<Docker.ImageInspectInfo> {
    try {
      return await this.docker.getImage(req.image).inspect();
    } catch (err) {
      if (!isNotFound(err))
        throw new Error(`cluster "${req.name}": inspecting image "${req.image}": ${apiMessage(err)}`);
    }
    progress(`downloading ${req.image}`);
    try {
      const stream = await this.docker.pull(req.image);
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
          const failed = events?.find((e) => e.error !== undefined);
          if (err !== null) reject(err);
          else if (failed !== undefined) reject(new Error(failed.error));
          else resolve();
        });
      });
      return await this.docker.getImage(req.image).inspect();
    } catch (err) {
      throw new Error(
        `cluster "${req.name}": image "${req.image}" is not available locally and pulling it failed: ${apiMessage(err)}`,
        { cause: err },
      );
    }
  }

  /** Removes what a failed create made; returns what could not be removed. */
  async #rollback(cluster: string, containers: Docker.Container[], network: boolean): Promise<string[]> {
    const problems: string[] = [];
    await Promise.all(
      containers.map((c) =>
        c.remove({ force: true, v: true }).catch((err: unknown) => {
          if (!isNotFound(err)) problems.push(`container ${c.id.slice(0, 12)}: ${apiMessage(err)}`);
        }),
      ),
    );
    if (network) {
      await this.docker
        .getNetwork(cluster)
        .remove()
        .catch((err: unknown) => {
          if (!isNotFound(err)) problems.push(`network "${cluster}": ${apiMessage(err)}`);
        });
    }
    return problems;
  }
}

/** Awaits every promise; if any failed, throws one Error with every failure's message. */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failures.length === 1) throw failures[0]!.reason;
  if (failures.length > 1) {
    throw new Error(failures.map((f) => (f.reason as Error).message).join("\n"), { cause: failures[0]!.reason });
  }
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function checkHostPorts(cluster: string, ports: Map<string, PortMapping[]>): void {
  const users = new Map<string, string>();
  for (const [node, list] of ports) {
    for (const p of list) {
      const key = `${p.host}/${p.protocol}`;
      const other = users.get(key);
      if (other !== undefined && other !== node) {
        throw new Error(`cluster "${cluster}": node "${node}" and node "${other}" both publish host port ${key}`);
      }
      if (other === node) throw new Error(`cluster "${cluster}": node "${node}" publishes host port ${key} twice`);
      users.set(key, node);
    }
  }
}

function containerName(c: Docker.ContainerInfo): string {
  return (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, "");
}

function normalizeCidr(cidr: string): string {
  try {
    return parseCidr(cidr).cidr;
  } catch {
    return cidr;
  }
}

function networkInfo(name: string, n: Docker.NetworkInspectInfo | undefined): NetworkInfo {
  if (n === undefined) return { name, cidr: "", gateway: "", mtu: 0 };
  const ipam = n.IPAM?.Config?.[0];
  const mtu = n.Options?.[MTU_OPTION] ?? n.Options?.["mtu"];
  return {
    name,
    cidr: ipam?.Subnet ?? "",
    gateway: ipam?.Gateway ?? "",
    mtu: mtu !== undefined && mtu !== "" ? Number(mtu) : 1500,
  };
}

/** A DockerProvisioner for a connected engine. */
export function createDockerProvisioner(
  engine: Pick<Engine, "docker" | "kind">,
  options: DockerProvisionerOptions = {},
): DockerProvisioner {
  return new DockerProvisioner(engine, options);
}
