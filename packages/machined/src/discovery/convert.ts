// Between the Affiliate resource spec and the discovery wire message (sidero.discovery.client.Affiliate).
import type { discovery } from "@talos/machinery/api";
import { type AffiliateSpec, ipBytes, ipString } from "@talos/machinery/resources";
import { newClientAffiliate } from "./client.ts";

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
