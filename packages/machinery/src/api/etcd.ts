// etcd's v3 gRPC API in one module: the KV, Cluster and Maintenance services of `etcdserverpb` (rpc.proto) and the
// `mvccpb` key-value record (kv.proto), generated from proto/etcd/. Re-exported as the `etcd` namespace by
// ./index.ts (so `etcd.Cluster`, `etcd.MemberSchema`, `etcd.KeyValue` never clash with Talos's own names).
export * from "./gen/etcd/kv_pb.ts";
export * from "./gen/etcd/rpc_pb.ts";
