import { create, toBinary } from "@bufbuild/protobuf";
import { MemberSpecSchema } from "../../api/gen/resource/definitions/etcd/etcd_pb.ts";
import { defineKind } from "../kind.ts";

/** This node's etcd member ID (16 hex digits), present while etcd is healthy. */
export interface EtcdMemberSpec {
  memberId: string;
}

export const ETCD_MEMBER_ID = "local";

/** `EtcdMembers.etcd.talos.dev` (`talosctl get etcdmembers`), ID `local`. */
export const etcdMemberKind = defineKind<EtcdMemberSpec>(
  {
    type: "EtcdMembers.etcd.talos.dev",
    defaultNamespace: "etcd",
    printColumns: [{ name: "Member ID", jsonPath: "{.memberId}" }],
  },
  (spec) => toBinary(MemberSpecSchema, create(MemberSpecSchema, spec)),
);
