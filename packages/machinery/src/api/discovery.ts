// The discovery service contract (sidero.discovery.*): the gRPC service and, separately, the affiliate
// message nodes encrypt into its opaque data. Both packages define `Affiliate`, hence two namespaces here.
export * as client from "./gen/discovery/client/affiliate_pb.ts";
export * as server from "./gen/discovery/server/cluster_pb.ts";
