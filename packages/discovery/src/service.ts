import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextKey, type ServiceImpl } from "@connectrpc/connect";
import { discovery } from "@talos/machinery/api";
import { ipBytes } from "@talos/machinery/resources";
import { type AffiliateChange, type AffiliateRecord, DiscoveryLimitError, type DiscoveryState } from "./state.ts";

const { Cluster, AffiliateSchema, WatchResponseSchema } = discovery.server;

/** The caller's address, set per request by the server (the Hello reply reports it). */
export const remoteAddressKey = createContextKey<string | undefined>(undefined, { description: "remote address" });

/** Raw bytes of the caller's address (an IPv4-mapped IPv6 address as IPv4), empty when unknown. */
export function addressBytes(address: string | undefined): Uint8Array {
  if (address === undefined) return new Uint8Array(0);
  return ipBytes(address.replace(/^::ffff:(?=\d+\.)/i, "").split("%")[0] ?? "");
}

function toProto(a: AffiliateRecord) {
  return create(AffiliateSchema, { id: a.id, data: a.data, endpoints: [...a.endpoints] });
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DiscoveryLimitError) {
      throw new ConnectError(err.message, err.code === "invalid" ? Code.InvalidArgument : Code.ResourceExhausted);
    }
    throw err;
  }
}

/** `sidero.discovery.server.Cluster` over a DiscoveryState. */
export function createClusterService(state: DiscoveryState): ServiceImpl<typeof Cluster> {
  return {
    hello(req, ctx) {
      if (req.clusterId === "") throw new ConnectError("cluster ID is empty", Code.InvalidArgument);
      return { clientIp: addressBytes(ctx.values.get(remoteAddressKey)) };
    },
    affiliateUpdate(req) {
      const ttl = req.ttl;
      const ttlMs = ttl === undefined ? 0 : Number(ttl.seconds) * 1000 + Math.floor(ttl.nanos / 1e6);
      guard(() =>
        state.update({
          clusterId: req.clusterId,
          affiliateId: req.affiliateId,
          ...(req.affiliateData !== undefined ? { data: req.affiliateData } : {}),
          endpoints: req.affiliateEndpoints,
          ttlMs,
        }),
      );
      return {};
    },
    affiliateDelete(req) {
      guard(() => state.delete(req.clusterId, req.affiliateId));
      return {};
    },
    list(req) {
      return { affiliates: guard(() => state.list(req.clusterId)).map(toProto) };
    },
    async *watch(req, ctx) {
      // Changes queue up between the snapshot and the consumer; a slow consumer only grows this queue.
      const queue: AffiliateChange[] = [];
      let wake: (() => void) | undefined;
      const { snapshot, stop } = guard(() =>
        state.watch(req.clusterId, (change) => {
          queue.push(change);
          wake?.();
        }),
      );
      try {
        yield create(WatchResponseSchema, { affiliates: snapshot.map(toProto) });
        while (!ctx.signal.aborted) {
          const change = queue.shift();
          if (change === undefined) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              ctx.signal.addEventListener("abort", () => resolve(), { once: true });
            });
            wake = undefined;
            continue;
          }
          yield change.kind === "update"
            ? create(WatchResponseSchema, { affiliates: [toProto(change.affiliate)] })
            : create(WatchResponseSchema, { affiliates: [create(AffiliateSchema, { id: change.id })], deleted: true });
        }
      } finally {
        stop();
      }
    },
  };
}
