import { readFileSync } from "node:fs";
import { type NetworkInterfaceInfo, networkInterfaces } from "node:os";
import type { AddressStatusSpec } from "@talos/machinery/resources";

function broadcastOf(address: string, prefix: number): string {
  const n = address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  const b = Math.floor(n / size) * size + size - 1;
  return [24, 16, 8, 0].map((s) => Math.floor(b / 2 ** s) % 256).join(".");
}

function linkIndex(name: string): number {
  try {
    return Number(readFileSync(`/sys/class/net/${name}/ifindex`, "utf8").trim()) || 0;
  } catch {
    return 0;
  }
}

function toSpec(link: string, a: NetworkInterfaceInfo): AddressStatusSpec {
  const prefix = Number(a.cidr?.split("/")[1] ?? (a.family === "IPv4" ? 32 : 128));
  const v4 = a.family === "IPv4";
  return {
    address: `${a.address}/${prefix}`,
    local: v4 ? a.address : "",
    broadcast: v4 && prefix < 31 ? broadcastOf(a.address, prefix) : "",
    linkIndex: linkIndex(link),
    linkName: link,
    family: v4 ? "inet4" : "inet6",
    scope: a.internal ? "host" : a.address.startsWith("fe80:") ? "link" : "global",
    flags: "permanent",
  };
}

/**
 * The addresses of the node's links (`AddressStatus`, ID `<link>/<cidr>`): all of them for a node with its
 * own network (a container); for a process node sharing the host, only the link and prefix of its address.
 */
export function nodeAddressStatuses(address: string, ownNetwork: boolean): { id: string; spec: AddressStatusSpec }[] {
  const out: { id: string; spec: AddressStatusSpec }[] = [];
  for (const [link, addrs] of Object.entries(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (!ownNetwork && a.address !== address) continue;
      const spec = toSpec(link, a);
      out.push({ id: `${link}/${spec.address}`, spec });
    }
  }
  if (!ownNetwork && out.length === 0) {
    // A loopback alias such as 127.0.41.2 is not listed per address: it lives on lo within 127.0.0.0/8.
    const spec = toSpec("lo", {
      address,
      netmask: "255.0.0.0",
      family: "IPv4",
      mac: "",
      internal: true,
      cidr: `${address}/8`,
    });
    out.push({ id: `lo/${spec.address}`, spec });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
