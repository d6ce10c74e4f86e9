import { create, toBinary } from "@bufbuild/protobuf";
import { NodeAddressSpecSchema } from "../../api/gen/resource/definitions/network/network_pb.ts";
import { defineKind, ipBytes } from "../kind.ts";

/** Addresses as CIDR prefixes (`10.5.0.2/24`). */
export interface NodeAddressSpec {
  addresses: string[];
}

/** `NodeAddresses.net.talos.dev`: ids `default`, `current`, `accumulative`, `routed`. */
export const nodeAddressKind = defineKind<NodeAddressSpec>(
  {
    type: "NodeAddresses.net.talos.dev",
    defaultNamespace: "network",
    printColumns: [{ name: "Addresses", jsonPath: "{.addresses}" }],
  },
  (spec) =>
    toBinary(
      NodeAddressSpecSchema,
      create(NodeAddressSpecSchema, {
        addresses: spec.addresses.map((a) => {
          const [ip = "", bits = ""] = a.split("/");
          return { ip: ipBytes(ip), prefixLength: Number(bits) };
        }),
      }),
    ),
);
