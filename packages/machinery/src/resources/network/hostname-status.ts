import { create, toBinary } from "@bufbuild/protobuf";
import { HostnameStatusSpecSchema } from "../../api/gen/resource/definitions/network/network_pb.ts";
import { defineKind } from "../kind.ts";

export interface HostnameStatusSpec {
  hostname: string;
  domainname: string;
}

export const HOSTNAME_STATUS_ID = "hostname";

/** `HostnameStatuses.net.talos.dev` (`talosctl get hostname`): the node's effective hostname. */
export const hostnameStatusKind = defineKind<HostnameStatusSpec>(
  {
    type: "HostnameStatuses.net.talos.dev",
    defaultNamespace: "network",
    aliases: ["hostname"],
    printColumns: [
      { name: "Hostname", jsonPath: "{.hostname}" },
      { name: "Domainname", jsonPath: "{.domainname}" },
    ],
  },
  (spec) => toBinary(HostnameStatusSpecSchema, create(HostnameStatusSpecSchema, spec)),
);
