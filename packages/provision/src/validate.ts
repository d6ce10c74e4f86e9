// Checks a ClusterRequest before anything is created, reporting every problem at once.
import { contains, formatIpv4, type Ipv4Network, parseCidr, parseIpv4 } from "./net.ts";
import type { ClusterRequest } from "./provisioner.ts";

/** Container, network and host names the Docker API accepts. */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const PROTOCOLS = new Set(["tcp", "udp", "sctp"]);

/**
 * Validates a request; returns its parsed network. Throws one Error listing every problem, each naming the
 * cluster and node it is about.
 */
export function validateClusterRequest(req: ClusterRequest): Ipv4Network {
  const problems: string[] = [];
  if (!NAME.test(req.name ?? "") || req.name.length > 63) {
    problems.push(`cluster name "${req.name}" is not valid (letters, digits, "_", "." and "-", at most 63)`);
  }
  let net: Ipv4Network | undefined;
  try {
    net = parseCidr(req.cidr);
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (!Number.isInteger(req.mtu) || req.mtu < 576 || req.mtu > 65535) {
    problems.push(`mtu ${req.mtu} is out of range (576-65535)`);
  }
  if (typeof req.image !== "string" || req.image.trim() === "") problems.push("no image given");
  if (!Array.isArray(req.nodes) || req.nodes.length === 0) problems.push("no nodes requested");

  const names = new Set<string>();
  const ips = new Map<number, string>();
  /** A node's (or the discovery service's) static address: inside the network, not reserved, not taken. */
  const checkAddress = (what: string, owner: string, address: string | undefined) => {
    const ip = parseIpv4(address ?? "");
    if (ip === undefined) {
      problems.push(`${what}: "${address}" is not an IPv4 address`);
      return;
    }
    if (net === undefined) return;
    const broadcast = net.base + 2 ** (32 - net.prefix) - 1;
    if (!contains(net, ip)) problems.push(`${what}: ${address} is outside ${net.cidr}`);
    else if (ip === net.base) problems.push(`${what}: ${address} is the network address of ${net.cidr}`);
    else if (ip === net.base + 1) problems.push(`${what}: ${address} is the gateway of ${net.cidr}`);
    else if (ip === broadcast) problems.push(`${what}: ${address} is the broadcast address of ${net.cidr}`);
    const other = ips.get(ip);
    if (other !== undefined) problems.push(`${what}: ${formatIpv4(ip)} is also the address of ${other}`);
    ips.set(ip, owner);
  };
  const hostPorts = new Map<string, string>();
  for (const node of req.nodes ?? []) {
    const what = `node "${node.name}"`;
    if (!NAME.test(node.name ?? "") || node.name.length > 63) {
      problems.push(`${what}: name is not valid (letters, digits, "_", "." and "-", at most 63)`);
    } else if (names.has(node.name)) {
      problems.push(`${what}: name is used twice`);
    }
    names.add(node.name);
    if (node.type !== "controlplane" && node.type !== "worker") {
      problems.push(`${what}: type "${node.type}" is not "controlplane" or "worker"`);
    }
    checkAddress(what, `node "${node.name}"`, node.ip);
    if (node.config !== undefined && typeof node.config !== "string") problems.push(`${what}: config is not a string`);
    if (node.memoryBytes !== undefined && !(Number.isSafeInteger(node.memoryBytes) && node.memoryBytes > 0)) {
      problems.push(`${what}: memoryBytes ${node.memoryBytes} is not a positive integer`);
    }
    if (node.nanoCpus !== undefined && !(Number.isSafeInteger(node.nanoCpus) && node.nanoCpus > 0)) {
      problems.push(`${what}: nanoCpus ${node.nanoCpus} is not a positive integer`);
    }
    for (const p of node.ports ?? []) {
      if (!validPort(p.host) || !validPort(p.container) || !PROTOCOLS.has(p.protocol)) {
        problems.push(`${what}: port ${p.host}:${p.container}/${p.protocol} is not valid`);
        continue;
      }
      const key = `${p.host}/${p.protocol}`;
      const user = hostPorts.get(key);
      if (user !== undefined) problems.push(`${what}: host port ${key} is also published by node "${user}"`);
      hostPorts.set(key, node.name);
    }
  }

  if (req.discoveryService !== undefined) {
    checkAddress("discovery service", "the discovery service", req.discoveryService.ip);
    if (!validPort(req.discoveryService.port)) {
      problems.push(`discovery service: port ${req.discoveryService.port} is not valid`);
    }
  }

  if (problems.length > 0) {
    throw new Error(`invalid request for cluster "${req.name}":\n  ${problems.join("\n  ")}`);
  }
  return net!;
}

function validPort(p: number): boolean {
  return Number.isInteger(p) && p >= 1 && p <= 65535;
}
