import { create, toBinary } from "@bufbuild/protobuf";
import { AddressStatusSpecSchema } from "../../api/gen/resource/definitions/network/network_pb.ts";
import { defineKind, ipBytes, yamlOf } from "../kind.ts";

/** An address assigned to a link, as the kernel reports it; YAML keys as Talos's. */
export interface AddressStatusSpec {
  /** CIDR, e.g. `10.5.0.2/24`. */
  address: string;
  local: string;
  broadcast: string;
  linkIndex: number;
  linkName: string;
  family: "inet4" | "inet6";
  scope: "global" | "link" | "host";
  flags: string;
}

const FAMILY = { inet4: 2, inet6: 10 } as const;
const SCOPE = { global: 0, link: 253, host: 254 } as const;
/** IFA_F_PERMANENT: the address was configured, not learned. */
const FLAG_PERMANENT = 0x80;

/** `AddressStatuses.net.talos.dev` (`talosctl get addresses`), ID `<link>/<cidr>`. */
export const addressStatusKind = defineKind<AddressStatusSpec>(
  {
    type: "AddressStatuses.net.talos.dev",
    defaultNamespace: "network",
    aliases: ["address", "addresses"],
    printColumns: [
      { name: "Address", jsonPath: "{.address}" },
      { name: "Link", jsonPath: "{.linkName}" },
    ],
  },
  (spec) => {
    const [ip = "", bits = "0"] = spec.address.split("/");
    return toBinary(
      AddressStatusSpecSchema,
      create(AddressStatusSpecSchema, {
        address: { ip: ipBytes(ip), prefixLength: Number(bits) },
        local: { ip: ipBytes(spec.local) },
        broadcast: { ip: ipBytes(spec.broadcast) },
        linkIndex: spec.linkIndex,
        linkName: spec.linkName,
        family: FAMILY[spec.family],
        scope: SCOPE[spec.scope],
        flags: spec.flags === "permanent" ? FLAG_PERMANENT : 0,
      }),
    );
  },
  (spec) =>
    yamlOf({
      address: spec.address,
      local: spec.local,
      broadcast: spec.broadcast,
      anycast: "",
      multicast: "",
      linkIndex: spec.linkIndex,
      linkName: spec.linkName,
      family: spec.family,
      scope: spec.scope,
      flags: spec.flags,
    }),
);
