// The discovery service's memory: clusters → affiliates, each with opaque (client-encrypted) data, a set of
// opaque endpoints and expiry times. Nothing is persisted: nodes re-register within half their TTL.
import { LIMITS } from "./limits.ts";

/** An affiliate as served: data and endpoints are whatever the clients sent. */
export interface AffiliateRecord {
  readonly id: string;
  readonly data: Uint8Array;
  readonly endpoints: readonly Uint8Array[];
}

/** A change a watcher sees: an affiliate updated, or removed (deleted or expired). */
export type AffiliateChange =
  | { readonly kind: "update"; readonly affiliate: AffiliateRecord }
  | { readonly kind: "delete"; readonly id: string };

export type Watcher = (change: AffiliateChange) => void;

/** A request the state refuses; `code` says how (the server maps it to a gRPC status). */
export class DiscoveryLimitError extends Error {
  override readonly name = "DiscoveryLimitError";
  readonly code: "invalid" | "exhausted";

  constructor(code: "invalid" | "exhausted", message: string) {
    super(message);
    this.code = code;
  }
}

interface StoredAffiliate {
  data: Uint8Array;
  /** Any update (with or without data) extends it; past it the affiliate is removed. */
  expiresAt: number;
  /** Keyed by the hex of the bytes: equal endpoints from several reporters are one. */
  endpoints: Map<string, { bytes: Uint8Array; expiresAt: number }>;
}

interface StoredCluster {
  affiliates: Map<string, StoredAffiliate>;
  watchers: Set<Watcher>;
}

export interface AffiliateUpdate {
  readonly clusterId: string;
  readonly affiliateId: string;
  /** Absent: keep the stored data, refresh only the endpoints given. */
  readonly data?: Uint8Array;
  readonly endpoints: readonly Uint8Array[];
  readonly ttlMs: number;
}

const utf8Length = (s: string) => Buffer.byteLength(s, "utf8");

function checkId(what: string, value: string, max: number): void {
  if (value === "") throw new DiscoveryLimitError("invalid", `${what} is empty`);
  if (utf8Length(value) > max) throw new DiscoveryLimitError("invalid", `${what} is longer than ${max} bytes`);
}

/** Clusters and their affiliates, with TTL expiry (`collectGarbage`) and change notification. */
export class DiscoveryState {
  readonly #clusters = new Map<string, StoredCluster>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  update(req: AffiliateUpdate): void {
    checkId("cluster ID", req.clusterId, LIMITS.clusterIdBytes);
    checkId("affiliate ID", req.affiliateId, LIMITS.affiliateIdBytes);
    if (!(req.ttlMs > 0)) throw new DiscoveryLimitError("invalid", "ttl must be positive");
    if (req.ttlMs > LIMITS.maxTtlMs) {
      throw new DiscoveryLimitError("invalid", `ttl is longer than ${LIMITS.maxTtlMs / 60000} minutes`);
    }
    if (req.data !== undefined && req.data.length > LIMITS.affiliateDataBytes) {
      throw new DiscoveryLimitError("invalid", `affiliate data is larger than ${LIMITS.affiliateDataBytes} bytes`);
    }
    for (const e of req.endpoints) {
      if (e.length > LIMITS.endpointBytes) {
        throw new DiscoveryLimitError("invalid", `an affiliate endpoint is larger than ${LIMITS.endpointBytes} bytes`);
      }
    }
    const cluster = this.#cluster(req.clusterId);
    let affiliate = cluster.affiliates.get(req.affiliateId);
    if (affiliate === undefined) {
      if (cluster.affiliates.size >= LIMITS.affiliatesPerCluster) {
        throw new DiscoveryLimitError("exhausted", `cluster has ${LIMITS.affiliatesPerCluster} affiliates already`);
      }
      affiliate = { data: new Uint8Array(0), expiresAt: 0, endpoints: new Map() };
    }
    const expiresAt = this.#now() + req.ttlMs;
    const endpoints = new Map(affiliate.endpoints);
    for (const bytes of req.endpoints) {
      const key = Buffer.from(bytes).toString("hex");
      endpoints.set(key, { bytes, expiresAt: Math.max(expiresAt, endpoints.get(key)?.expiresAt ?? 0) });
    }
    if (endpoints.size > LIMITS.endpointsPerAffiliate) {
      throw new DiscoveryLimitError("exhausted", `affiliate has more than ${LIMITS.endpointsPerAffiliate} endpoints`);
    }
    const changed =
      !cluster.affiliates.has(req.affiliateId) ||
      (req.data !== undefined && !Buffer.from(req.data).equals(affiliate.data)) ||
      endpoints.size !== affiliate.endpoints.size;
    affiliate.endpoints = endpoints;
    affiliate.expiresAt = Math.max(affiliate.expiresAt, expiresAt);
    if (req.data !== undefined) affiliate.data = req.data;
    cluster.affiliates.set(req.affiliateId, affiliate);
    if (changed) this.#notify(cluster, { kind: "update", affiliate: record(req.affiliateId, affiliate) });
  }

  delete(clusterId: string, affiliateId: string): void {
    checkId("cluster ID", clusterId, LIMITS.clusterIdBytes);
    checkId("affiliate ID", affiliateId, LIMITS.affiliateIdBytes);
    const cluster = this.#clusters.get(clusterId);
    if (cluster?.affiliates.delete(affiliateId)) this.#notify(cluster, { kind: "delete", id: affiliateId });
    if (cluster !== undefined) this.#dropIfIdle(clusterId, cluster);
  }

  list(clusterId: string): AffiliateRecord[] {
    checkId("cluster ID", clusterId, LIMITS.clusterIdBytes);
    const cluster = this.#clusters.get(clusterId);
    if (cluster === undefined) return [];
    return [...cluster.affiliates].map(([id, a]) => record(id, a)).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Registers a watcher; returns the current snapshot (taken atomically with the registration) and a stop function. */
  watch(clusterId: string, watcher: Watcher): { snapshot: AffiliateRecord[]; stop: () => void } {
    const snapshot = this.list(clusterId);
    const cluster = this.#cluster(clusterId);
    cluster.watchers.add(watcher);
    return {
      snapshot,
      stop: () => {
        cluster.watchers.delete(watcher);
        this.#dropIfIdle(clusterId, cluster);
      },
    };
  }

  /**
   * Drops what has expired: affiliates not updated within their TTL (watchers see them deleted) and
   * endpoints past theirs. Returns how many affiliates were removed.
   */
  collectGarbage(): number {
    const now = this.#now();
    let removed = 0;
    for (const [clusterId, cluster] of this.#clusters) {
      for (const [id, a] of cluster.affiliates) {
        if (a.expiresAt <= now) {
          cluster.affiliates.delete(id);
          removed++;
          this.#notify(cluster, { kind: "delete", id });
          continue;
        }
        const before = a.endpoints.size;
        for (const [key, e] of a.endpoints) if (e.expiresAt <= now) a.endpoints.delete(key);
        if (a.endpoints.size !== before) {
          this.#notify(cluster, { kind: "update", affiliate: record(id, a) });
        }
      }
      this.#dropIfIdle(clusterId, cluster);
    }
    return removed;
  }

  /** Counts for logs and tests. */
  stats(): { clusters: number; affiliates: number; watchers: number } {
    let affiliates = 0;
    let watchers = 0;
    for (const c of this.#clusters.values()) {
      affiliates += c.affiliates.size;
      watchers += c.watchers.size;
    }
    return { clusters: this.#clusters.size, affiliates, watchers };
  }

  #cluster(id: string): StoredCluster {
    let c = this.#clusters.get(id);
    if (c === undefined) {
      c = { affiliates: new Map(), watchers: new Set() };
      this.#clusters.set(id, c);
    }
    return c;
  }

  #dropIfIdle(id: string, cluster: StoredCluster): void {
    if (cluster.affiliates.size === 0 && cluster.watchers.size === 0) this.#clusters.delete(id);
  }

  #notify(cluster: StoredCluster, change: AffiliateChange): void {
    for (const w of cluster.watchers) w(change);
  }
}

function record(id: string, a: StoredAffiliate): AffiliateRecord {
  return { id, data: a.data, endpoints: [...a.endpoints.values()].map((e) => e.bytes) };
}
