// Public API of the api module (`@talos/machinery/api`): the Talos v1.6 gRPC contract generated from proto/
// (`npm run generate`). Each message X comes as a type `X` plus a schema `XSchema` for create/toBinary/fromBinary
// (@bufbuild/protobuf); each service is a descriptor (`MachineService`, ...) usable with @connectrpc/connect.
//
// Flat: the Talos service packages common, machine, cluster, storage, time, securityapi, inspect (and google.rpc
// Status); their message names are distinct. Namespaces, where names would clash:
//   cosi          cosi.resource: `cosi.State` (Get/List/Create/Update/Destroy/Watch), its messages, Resource/Metadata/Spec
//   cosiMeta      cosi.resource.meta: NamespaceSpec, ResourceDefinitionSpec
//   discovery     sidero.discovery: `discovery.server.Cluster` (the discovery service) and its messages,
//                 `discovery.client.Affiliate` (what nodes encrypt into affiliate data)
//   etcd          etcd's v3 API (etcdserverpb + mvccpb, the subset machined calls): `etcd.KV`, `etcd.Cluster`,
//                 `etcd.Maintenance` and their messages
//   configDefs    resource.config: MachineConfigSpec, MachineTypeSpec, MachineType
//   <group>Defs   talos.resource.definitions.<group> (cluster, enum(s), etcd, k8s, network, proto, runtime, secrets,
//                 time, v1alpha1)
export * as cosi from "./cosi.ts";
export * as discovery from "./discovery.ts";
export * as etcd from "./etcd.ts";
export * from "./gen/cluster/cluster_pb.ts";
export * from "./gen/common/common_pb.ts";
export * from "./gen/google/rpc/status_pb.ts";
export * from "./gen/inspect/inspect_pb.ts";
export * from "./gen/machine/machine_pb.ts";
export * as configDefs from "./gen/resource/config/config_pb.ts";
export * as clusterDefs from "./gen/resource/definitions/cluster/cluster_pb.ts";
export * as enumDefs from "./gen/resource/definitions/enums/enums_pb.ts";
export * as etcdDefs from "./gen/resource/definitions/etcd/etcd_pb.ts";
export * as k8sDefs from "./gen/resource/definitions/k8s/k8s_pb.ts";
export * as networkDefs from "./gen/resource/definitions/network/network_pb.ts";
export * as protoDefs from "./gen/resource/definitions/proto/proto_pb.ts";
export * as runtimeDefs from "./gen/resource/definitions/runtime/runtime_pb.ts";
export * as secretsDefs from "./gen/resource/definitions/secrets/secrets_pb.ts";
export * as timeDefs from "./gen/resource/definitions/time/time_pb.ts";
export * as v1alpha1Defs from "./gen/resource/definitions/v1alpha1/v1alpha1_pb.ts";
export * from "./gen/security/security_pb.ts";
export * from "./gen/storage/storage_pb.ts";
export * from "./gen/time/time_pb.ts";
export * as cosiMeta from "./gen/v1alpha1/meta_pb.ts";
