// Between the Affiliate resource spec and the discovery wire message (sidero.discovery.client.Affiliate).
import type { discovery } from "@talos/machinery/api";
import { type AffiliateSpec, ipBytes } from "@talos/machinery/resources";
import { newClientAffiliate } from "./client.ts";

/** 4 or 16 raw bytes as an IP string; undefined for any other length. */
export function ipString(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4) return [...bytes].join(".");
  if (bytes.length !== 16) return undefined;
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  // RFC 5952: the longest run of two or more zero groups becomes "::".
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i >= 2) best = { start: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.len).join(":")}`;
}

export function toWireAffiliate(spec: AffiliateSpec): discovery.client.Affiliate {
  return newClientAffiliate({
    nodeId: spec.nodeId,
    addresses: spec.addresses.map(ipBytes).filter((b) => b.length > 0),
    hostname: spec.hostname,
    nodename: spec.nodename,
    machineType: spec.machineType,
    operatingSystem: spec.operatingSystem,
    ...(spec.controlPlane !== undefined ? { controlPlane: { apiServerPort: spec.controlPlane.port } } : {}),
  });
}

const MACHINE_TYPES = new Set(["controlplane", "worker", "init"]);

export function fromWireAffiliate(a: discovery.client.Affiliate): AffiliateSpec {
  return {
    nodeId: a.nodeId,
    addresses: a.addresses.map(ipString).filter((s): s is string => s !== undefined),
    hostname: a.hostname,
    nodename: a.nodename,
    machineType: MACHINE_TYPES.has(a.machineType) ? (a.machineType as AffiliateSpec["machineType"]) : "unknown",
    operatingSystem: a.operatingSystem,
    ...(a.controlPlane !== undefined ? { controlPlane: { port: a.controlPlane.apiServerPort } } : {}),
  };
}
