import { toBinary } from "@bufbuild/protobuf";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { discovery } from "@talos/machinery/api";
import { TALOS_VERSION } from "@talos/machinery/constants";
import {
  type AffiliateSpec,
  affiliateKind,
  DISCOVERY_CONFIG_ID,
  type DiscoveryConfigSpec,
  discoveryConfigKind,
  IDENTITY_ID,
  type IdentitySpec,
  identityKind,
} from "@talos/machinery/resources";
import { type Controller, newPointer, newResource } from "@talos/runtime";
import { discoveryKey } from "../discovery/cipher.ts";
import { DiscoveryClient } from "../discovery/client.ts";
import { fromWireAffiliate, toWireAffiliate } from "../discovery/convert.ts";
import { rawAffiliateKind } from "./affiliate-merge.ts";

/** Talos's affiliate TTL: 30 minutes, refreshed every 15. */
export const DEFAULT_DISCOVERY_TTL_MS = 30 * 60 * 1000;

/** The running discovery client, for the reset flow (which deletes the local affiliate first). */
export interface DiscoveryHandle {
  client: DiscoveryClient | undefined;
}

export interface DiscoveryServiceOptions {
  readonly ttlMs?: number;
  readonly handle?: DiscoveryHandle;
}

/**
 * cluster.DiscoveryServiceController: registers the local affiliate with the discovery service and
 * mirrors the other nodes' affiliates into `cluster-raw` as `service/<nodeId>`.
 */
export function discoveryServiceController(opts: DiscoveryServiceOptions = {}): Controller {
  const config = newPointer(discoveryConfigKind.kind, DISCOVERY_CONFIG_ID);
  const identity = newPointer(identityKind.kind, IDENTITY_ID);
  const ttlMs = opts.ttlMs ?? DEFAULT_DISCOVERY_TTL_MS;
  return {
    name: "cluster.DiscoveryServiceController",
    inputs: [
      { namespace: config.namespace, type: config.type, id: config.id, kind: "weak" },
      { namespace: identity.namespace, type: identity.type, id: identity.id, kind: "weak" },
      { namespace: affiliateKind.kind.namespace, type: affiliateKind.kind.type, kind: "weak" },
    ],
    outputs: [{ type: affiliateKind.kind.type, kind: "shared" }],
    async run(rt, _signal, log) {
      let running: { key: string; client: DiscoveryClient; sessions: Http2SessionManager[] } | undefined;
      let published = "";
      const stopClient = async () => {
        if (running === undefined) return;
        const r = running;
        running = undefined;
        published = "";
        if (opts.handle !== undefined) opts.handle.client = undefined;
        await r.client.stop();
        for (const s of r.sessions) s.abort();
      };
      try {
        for await (const _ of rt.events()) {
          rt.startTrackingOutputs();
          const d = (await rt.get<DiscoveryConfigSpec>(config).catch(() => undefined))?.spec;
          const id = await rt.get<IdentitySpec>(identity).catch(() => undefined);
          const want =
            d?.registryServiceEnabled === true && d.serviceClusterID !== "" && id !== undefined
              ? { ...d, nodeId: id.spec.nodeId }
              : undefined;
          const key = want === undefined ? "" : JSON.stringify(want);
          if (running !== undefined && running.key !== key) await stopClient();
          if (want !== undefined && running === undefined) {
            const sessions: Http2SessionManager[] = [];
            const client = new DiscoveryClient({
              endpoint: want.serviceEndpoint,
              transport: (endpoint) => {
                const baseUrl = `${want.serviceEndpointInsecure ? "http" : "https"}://${endpoint}`;
                const sessionManager = new Http2SessionManager(baseUrl);
                sessions.push(sessionManager);
                return createGrpcTransport({ baseUrl, sessionManager });
              },
              clusterId: want.serviceClusterID,
              affiliateId: want.nodeId,
              key: discoveryKey(want.serviceEncryptionKey),
              ttlMs,
              clientVersion: TALOS_VERSION,
              onChange: () => rt.queueReconcile(),
              logger: log,
            });
            running = { key, client, sessions };
            if (opts.handle !== undefined) opts.handle.client = client;
            client.start();
            log.info("discovery service registry started", { endpoint: want.serviceEndpoint });
          }
          if (running !== undefined && want !== undefined) {
            const local = await rt
              .get<AffiliateSpec>(newPointer(affiliateKind.kind, want.nodeId))
              .catch(() => undefined);
            if (local !== undefined) {
              const wire = toWireAffiliate(local.spec);
              const bytes = Buffer.from(toBinary(discovery.client.AffiliateSchema, wire)).toString("base64");
              if (bytes !== published) {
                running.client.setLocal(wire);
                published = bytes;
              }
            }
            for (const a of running.client.affiliates()) {
              const spec = fromWireAffiliate(a.affiliate);
              if (spec.nodeId === "") continue;
              await rt.modify(newResource(newPointer(rawAffiliateKind, `service/${a.id}`), spec), (r) => {
                r.spec = spec;
              });
            }
          }
          await rt.cleanupOutputs([rawAffiliateKind]);
        }
      } finally {
        await stopClient();
      }
    },
  };
}
