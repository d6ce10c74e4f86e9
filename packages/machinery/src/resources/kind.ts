import { type Kind, newKind } from "@talos/runtime";
import { stringify } from "yaml";
import { formatIPAddress } from "../secrets/ip-address.ts";
import type { ResourceDefinitionInput } from "./definition.ts";

/**
 * A Talos resource kind: where it lives, how `talosctl get` finds and prints it, and how its spec goes on
 * the wire (COSI serves both `yaml_spec` and the protobuf `proto_spec` that typed clients decode).
 */
export interface ResourceKind<Spec> {
  readonly kind: Kind<Spec>;
  readonly definition: ResourceDefinitionInput;
  /** The spec as its protobuf message bytes. */
  encodeProto(spec: Spec): Uint8Array;
  /** The spec as YAML, keys as Talos's Go structs name them. */
  encodeYaml(spec: Spec): string;
}

/** Builds a kind whose spec object is already shaped like Talos's YAML. */
export function defineKind<Spec>(
  definition: ResourceDefinitionInput,
  encodeProto: (spec: Spec) => Uint8Array,
  encodeYaml: (spec: Spec) => string = yamlOf,
): ResourceKind<Spec> {
  return {
    kind: newKind<Spec>(definition.defaultNamespace, definition.type),
    definition,
    encodeProto,
    encodeYaml,
  };
}

/** YAML as Go's yaml.v3 writes a struct: 4-space indentation, no line folding. */
export function yamlOf(value: unknown): string {
  return stringify(value, { indent: 4, lineWidth: 0, indentSeq: false });
}

/** Raw bytes of an IPv4 or IPv6 address (`common.NetIP`); empty for anything else. */
export function ipBytes(address: string): Uint8Array {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4 !== null) return Uint8Array.from(v4.slice(1).map(Number));
  if (!address.includes(":")) return new Uint8Array(0);
  const [head = "", tail] = address.split("::");
  const groups = (s: string) => (s === "" ? [] : s.split(":").map((g) => Number.parseInt(g, 16)));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = (g >> 8) & 0xff;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** 4 or 16 raw bytes as an IP string (as Go prints it); undefined for any other length. */
export function ipString(bytes: Uint8Array): string | undefined {
  return bytes.length === 4 || bytes.length === 16 ? formatIPAddress(bytes) : undefined;
}
