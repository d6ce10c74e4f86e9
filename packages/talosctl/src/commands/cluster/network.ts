import { CliError } from "../../cli/errors.ts";

/** An IPv4 CIDR as Talos's provisioner uses it: gateway = network + 1, nodes from network + 2. */
export interface Ipv4Network {
  readonly cidr: string;
  readonly base: number;
  readonly bits: number;
}

const toInt = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");

export function parseCidr(cidr: string, flag = "--cidr"): Ipv4Network {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (m === null || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 30 || Number(m[5]) < 8) {
    throw new CliError(`${flag}: invalid IPv4 CIDR ${JSON.stringify(cidr)}, expected e.g. 10.5.0.0/24`);
  }
  const bits = Number(m[5]);
  const size = 2 ** (32 - bits);
  const base = Math.floor(toInt(m.slice(1, 5).join(".")) / size) * size;
  return { cidr: `${toIp(base)}/${bits}`, base, bits };
}

export function gatewayOf(net: Ipv4Network): string {
  return toIp(net.base + 1);
}

/** The n-th node address (0-based): network + 2 + n; fails when the network is too small. */
export function nodeAddress(net: Ipv4Network, n: number): string {
  const offset = 2 + n;
  if (offset >= 2 ** (32 - net.bits) - 1) throw new CliError(`--cidr ${net.cidr} is too small for ${n + 1} nodes`);
  return toIp(net.base + offset);
}

/** The port of a local cluster's discovery service (the discovery service's usual gRPC port). */
export const DISCOVERY_SERVICE_PORT = 3000;

/** Where a local cluster runs its discovery service: the last usable address of the network. */
export function discoveryServiceAddress(net: Ipv4Network): string {
  return toIp(net.base + 2 ** (32 - net.bits) - 2);
}
