// The node's side of the discovery service (what Talos's discovery-client does): say Hello, publish the
// local affiliate (encrypted) with a TTL, refresh it every TTL/2 and on each change, and keep a decrypted
// view of the other affiliates from a Watch stream. Reconnects with backoff; never gives up.
import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { discovery } from "@talos/machinery/api";
import { createBackoff, type Logger } from "@talos/runtime";
import { openAffiliate, openEndpoint, sealAffiliate, sealEndpoint } from "./cipher.ts";

const { Cluster } = discovery.server;
const { AffiliateSchema, EndpointSchema } = discovery.client;

export interface DiscoveredAffiliate {
  readonly id: string;
  readonly affiliate: discovery.client.Affiliate;
  readonly endpoints: readonly discovery.client.Endpoint[];
}

export interface DiscoveryClientOptions {
  /** The service's `host:port` (`discovery.talos.dev:443`); a redirect gives another. */
  readonly endpoint: string;
  /** A gRPC transport to a `host:port` (also used when the service redirects). */
  readonly transport: (endpoint: string) => Transport;
  readonly clusterId: string;
  readonly affiliateId: string;
  /** 32-byte AES key (`cluster.secret`). */
  readonly key: Buffer;
  readonly ttlMs: number;
  readonly clientVersion: string;
  /** Called when the set of discovered affiliates may have changed. */
  readonly onChange: () => void;
  readonly logger: Logger;
  /** Reconnect backoff bounds (defaults 1 s … 30 s). */
  readonly retryMs?: { readonly initial: number; readonly max: number };
}

const CALL_TIMEOUT_MS = 10_000;

export class DiscoveryClient {
  readonly #o: DiscoveryClientOptions;
  readonly #stop = new AbortController();
  #endpoint: string;
  #local: { data: Uint8Array; endpoints: Uint8Array[] } | undefined;
  #localChanged: (() => void) | undefined;
  #discovered = new Map<string, DiscoveredAffiliate>();
  #publicIp: Uint8Array = new Uint8Array(0);
  #done: Promise<void> | undefined;

  constructor(options: DiscoveryClientOptions) {
    this.#o = options;
    this.#endpoint = options.endpoint;
  }

  /** Publishes (or replaces) the local affiliate; sent at once when connected. */
  setLocal(affiliate: discovery.client.Affiliate, endpoints: readonly discovery.client.Endpoint[] = []): void {
    this.#local = {
      data: sealAffiliate(this.#o.key, toBinary(AffiliateSchema, affiliate)),
      endpoints: endpoints.map((e) => sealEndpoint(this.#o.key, toBinary(EndpointSchema, e))),
    };
    this.#localChanged?.();
  }

  /** Removes the local affiliate from the service now (a node being reset). */
  async deleteLocal(): Promise<void> {
    this.#local = undefined;
    const client = createClient(Cluster, this.#o.transport(this.#endpoint));
    await client.affiliateDelete(
      { clusterId: this.#o.clusterId, affiliateId: this.#o.affiliateId },
      { timeoutMs: CALL_TIMEOUT_MS },
    );
  }

  /** The other nodes' affiliates, decrypted; the local one never appears. */
  affiliates(): DiscoveredAffiliate[] {
    return [...this.#discovered.values()];
  }

  /** The address the service saw this node connect from (empty until the first Hello). */
  publicIp(): Uint8Array {
    return this.#publicIp;
  }

  start(): void {
    this.#done ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#done;
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    const backoff = createBackoff({
      initialMs: this.#o.retryMs?.initial ?? 1000,
      maxMs: this.#o.retryMs?.max ?? 30_000,
    });
    while (!signal.aborted) {
      const session = new AbortController();
      const endSession = () => session.abort();
      signal.addEventListener("abort", endSession, { once: true });
      try {
        const client = createClient(Cluster, this.#o.transport(this.#endpoint));
        const hello = await client.hello(
          { clusterId: this.#o.clusterId, clientVersion: this.#o.clientVersion },
          { timeoutMs: CALL_TIMEOUT_MS, signal: session.signal },
        );
        this.#publicIp = hello.clientIp;
        if (hello.redirect !== undefined && hello.redirect.endpoint !== "") {
          this.#o.logger.info("discovery service redirects", { endpoint: hello.redirect.endpoint });
          this.#endpoint = hello.redirect.endpoint;
          continue;
        }
        const watchEnded = this.#watch(client, session.signal);
        await this.#session(client, watchEnded, session.signal, () => backoff.reset());
      } catch (err) {
        if (!signal.aborted) {
          this.#o.logger.warn("discovery service unavailable", { endpoint: this.#endpoint, error: String(err) });
        }
      } finally {
        session.abort();
        signal.removeEventListener("abort", endSession);
      }
      await sleep(backoff.next(), signal);
    }
  }

  /** Refreshes the local affiliate every TTL/2 and on changes, until the watch ends or a refresh fails. */
  async #session(
    client: Client<typeof Cluster>,
    watchEnded: Promise<unknown>,
    signal: AbortSignal,
    healthy: () => void,
  ): Promise<void> {
    let watchError: unknown;
    let watching = true;
    void watchEnded.then(
      () => (watching = false),
      (e: unknown) => {
        watching = false;
        watchError = e;
      },
    );
    while (!signal.aborted) {
      await this.#refresh(client, signal);
      healthy();
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", wake);
          this.#localChanged = undefined;
          resolve();
        };
        const timer = setTimeout(wake, this.#o.ttlMs / 2);
        this.#localChanged = wake;
        void watchEnded.then(wake, wake);
        signal.addEventListener("abort", wake, { once: true });
      });
      if (!watching) throw watchError ?? new Error("watch stream ended");
    }
  }

  async #refresh(client: Client<typeof Cluster>, signal: AbortSignal): Promise<void> {
    const local = this.#local;
    if (local === undefined) return;
    await client.affiliateUpdate(
      {
        clusterId: this.#o.clusterId,
        affiliateId: this.#o.affiliateId,
        affiliateData: local.data,
        affiliateEndpoints: local.endpoints,
        ttl: { seconds: BigInt(Math.floor(this.#o.ttlMs / 1000)), nanos: (this.#o.ttlMs % 1000) * 1e6 },
      },
      { timeoutMs: CALL_TIMEOUT_MS, signal },
    );
  }

  /** Follows the cluster's affiliates; the first reply is a snapshot that replaces what was known. */
  async #watch(client: Client<typeof Cluster>, signal: AbortSignal): Promise<void> {
    let snapshot = true;
    for await (const reply of client.watch({ clusterId: this.#o.clusterId }, { signal })) {
      const next = snapshot ? new Map<string, DiscoveredAffiliate>() : new Map(this.#discovered);
      snapshot = false;
      for (const a of reply.affiliates) {
        if (a.id === this.#o.affiliateId) continue;
        if (reply.deleted) {
          next.delete(a.id);
          continue;
        }
        const decoded = this.#decode(a);
        if (decoded !== undefined) next.set(a.id, decoded);
      }
      this.#discovered = next;
      this.#o.onChange();
    }
  }

  #decode(a: discovery.server.Affiliate): DiscoveredAffiliate | undefined {
    if (a.data.length === 0) return undefined;
    const plain = openAffiliate(this.#o.key, a.data);
    if (plain === undefined) {
      this.#o.logger.warn("discovery: cannot decrypt affiliate (another cluster secret?)", { affiliate: a.id });
      return undefined;
    }
    try {
      const endpoints = a.endpoints
        .map((e) => openEndpoint(this.#o.key, e))
        .filter((e): e is Uint8Array => e !== undefined)
        .map((e) => fromBinary(EndpointSchema, e));
      return { id: a.id, affiliate: fromBinary(AffiliateSchema, plain), endpoints };
    } catch (err) {
      this.#o.logger.warn("discovery: malformed affiliate", { affiliate: a.id, error: String(err) });
      return undefined;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

/** An affiliate message for this node (what LocalAffiliateController publishes). */
export function newClientAffiliate(
  init: MessageInitShape<typeof discovery.client.AffiliateSchema>,
): discovery.client.Affiliate {
  return create(AffiliateSchema, init);
}
