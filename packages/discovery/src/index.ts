// Public API of @talos/discovery: the discovery service (Talos's discovery-api server) that local clusters run.
export { LIMITS } from "./limits.ts";
export { type DiscoveryServer, type DiscoveryServerOptions, startDiscoveryServer } from "./server.ts";
export { addressBytes, createClusterService } from "./service.ts";
export { type AffiliateChange, type AffiliateRecord, DiscoveryLimitError, DiscoveryState } from "./state.ts";
