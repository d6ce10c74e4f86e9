import { networkInterfaces } from "node:os";

/** The container's own address: the first non-internal IPv4 address (eth0 in a container node). */
export function containerAddress(): string {
  const interfaces = networkInterfaces();
  const names = Object.keys(interfaces).sort((a, b) =>
    a === "eth0" ? -1 : b === "eth0" ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  for (const name of names) {
    for (const addr of interfaces[name] ?? []) {
      if (addr.family === "IPv4" && !addr.internal) return addr.address;
    }
  }
  throw new Error("no IPv4 address on any network interface: cannot tell the node's address");
}
