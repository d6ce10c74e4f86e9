/** What one cluster may store; requests beyond these are refused, so one cluster cannot exhaust the service. */
export const LIMITS = {
  clusterIdBytes: 256,
  affiliateIdBytes: 256,
  affiliateDataBytes: 2048,
  endpointBytes: 32,
  endpointsPerAffiliate: 64,
  affiliatesPerCluster: 1024,
  /** The longest TTL a client may ask for (Talos nodes ask for 30 minutes). */
  maxTtlMs: 30 * 60 * 1000,
} as const;
