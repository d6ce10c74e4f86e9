// IPv4 arithmetic for cluster networks: CIDRs, gateways, node addresses and their deterministic MACs.

export interface Ipv4Network {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
  /** Canonical "a.b.c.d/p". */
  cidr: string;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses a dotted-quad IPv4 address into an unsigned integer; undefined if it is not one. */
export function parseIpv4(ip: string): number | undefined {
  const m = IPV4.exec(ip);
  if (m === null) return undefined;
  let n = 0;
  for (const part of m.slice(1)) {
    if (part.length > 1 && part.startsWith("0")) return undefined;
    const b = Number(part);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join(".");
}

/** Parses "a.b.c.d/p" (prefix 1–30, no host bits set). Throws an Error saying what is wrong. */
export function parseCidr(cidr: string): Ipv4Network {
  const [addr, len, extra] = cidr.split("/");
  const ip = addr === undefined ? undefined : parseIpv4(addr);
  const prefix = len !== undefined && /^\d{1,2}$/.test(len) ? Number(len) : Number.NaN;
  if (ip === undefined || extra !== undefined || !(prefix >= 1 && prefix <= 30)) {
    throw new Error(`invalid CIDR "${cidr}": expected an IPv4 network like 10.5.0.0/24 (prefix 1-30)`);
  }
  const base = (ip & mask(prefix)) >>> 0;
  if (base !== ip) {
    throw new Error(`invalid CIDR "${cidr}": host bits are set (did you mean ${formatIpv4(base)}/${prefix}?)`);
  }
  return { base, prefix, cidr: `${formatIpv4(base)}/${prefix}` };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The gateway Talos uses: the network address + 1. */
export function gatewayOf(net: Ipv4Network): string {
  return formatIpv4(net.base + 1);
}

/** The n-th address of the network (n = 0 is the network address). */
export function nthAddress(net: Ipv4Network, n: number): string {
  return formatIpv4(net.base + n);
}

/** Whether ip lies inside the network. */
export function contains(net: Ipv4Network, ip: number): boolean {
  return (ip & mask(net.prefix)) >>> 0 === net.base;
}

/**
 * A deterministic, locally administered MAC for a node IP (Docker's scheme: `02:42:` + the four address
 * bytes), so a recreated node keeps its MAC and the host's ARP entry stays right (feasibility.md §1).
 */
export function macFromIp(ip: string): string {
  const n = parseIpv4(ip);
  if (n === undefined) throw new Error(`invalid IPv4 address "${ip}"`);
  const bytes = [0x02, 0x42, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}
