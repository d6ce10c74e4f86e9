// The COSI `cosi.resource` package in one module: the State service and its messages (state.proto) plus the
// resource envelope and queries (resource.proto). Re-exported as the `cosi` namespace by ./index.ts.
export * from "./gen/v1alpha1/resource_pb.ts";
export * from "./gen/v1alpha1/state_pb.ts";
