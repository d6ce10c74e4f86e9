// machined's etcd client (the v3 gRPC API over mutual TLS) and the member ID helpers.
export {
  createEtcdClient,
  DEFAULT_ETCD_DIAL_TIMEOUT_MS,
  type EtcdAlarm,
  type EtcdCallOptions,
  type EtcdClient,
  type EtcdClientOptions,
  type EtcdKeyValue,
  type EtcdMember,
  type EtcdStatus,
} from "./client.ts";
export { formatMemberId, parseMemberId } from "./member-id.ts";
