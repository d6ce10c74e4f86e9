import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { createContextValues } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { discovery } from "@talos/machinery/api";
import { createClusterService, remoteAddressKey } from "./service.ts";
import { DiscoveryState } from "./state.ts";

export interface DiscoveryServerOptions {
  readonly host: string;
  readonly port: number;
  /** How often expired affiliates are dropped. Default 1 s (cheap: a walk over the in-memory map). */
  readonly gcIntervalMs?: number;
  readonly log?: (line: string) => void;
}

export interface DiscoveryServer {
  readonly state: DiscoveryState;
  /** The bound address (port resolved when 0 was asked for). */
  readonly address: { host: string; port: number };
  close(): Promise<void>;
}

/** Serves the discovery API over gRPC on cleartext HTTP/2 (nodes reach it as `http://host:port/`). */
export async function startDiscoveryServer(opts: DiscoveryServerOptions): Promise<DiscoveryServer> {
  const state = new DiscoveryState();
  const handler = connectNodeAdapter({
    grpc: true,
    connect: false,
    grpcWeb: false,
    acceptCompression: [],
    contextValues: (req) => createContextValues().set(remoteAddressKey, req.socket.remoteAddress),
    routes: (router) => router.service(discovery.server.Cluster, createClusterService(state)),
  });
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    s.once("close", () => sessions.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const gc = setInterval(() => {
    const removed = state.collectGarbage();
    if (removed > 0) opts.log?.(`expired ${removed} affiliate(s); ${JSON.stringify(state.stats())}`);
  }, opts.gcIntervalMs ?? 1000);
  gc.unref();
  const bound = server.address() as AddressInfo;
  return {
    state,
    address: { host: bound.address, port: bound.port },
    close: async () => {
      clearInterval(gc);
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
