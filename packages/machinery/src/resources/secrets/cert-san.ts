import { create, toBinary } from "@bufbuild/protobuf";
import { CertSANSpecSchema } from "../../api/gen/resource/definitions/secrets/secrets_pb.ts";
import { defineKind, ipBytes, yamlOf } from "../kind.ts";

/** The subject alternative names a node's certificates carry; YAML keys as Talos's. */
export interface CertSANSpec {
  ips: string[];
  dnsNames: string[];
  fqdn: string;
}

/** `CertSANs.secrets.talos.dev`: ID `api` (the Talos API certificates), later `k8s`. */
export const certSANKind = defineKind<CertSANSpec>(
  {
    type: "CertSANs.secrets.talos.dev",
    defaultNamespace: "secrets",
    printColumns: [],
  },
  (spec) =>
    toBinary(
      CertSANSpecSchema,
      create(CertSANSpecSchema, {
        iPs: spec.ips.map((ip) => ({ ip: ipBytes(ip) })),
        dnsNames: spec.dnsNames,
        fqdn: spec.fqdn,
      }),
    ),
  (spec) => yamlOf({ ips: spec.ips, dnsNames: spec.dnsNames, fqdn: spec.fqdn }),
);
