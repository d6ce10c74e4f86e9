// apid: the Talos API endpoint of a node (TCP 50000). It authenticates the caller by client certificate,
// works out its roles, and forwards each call untouched to the local machined or to other nodes' apid,
// fanning a call out to many nodes when asked. It never implements an RPC itself.
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { ALL_ROLES, effectiveRoles, rolesFromOrganization } from "@talos/machinery/role";
import type { Backend, BackendPool } from "./backend.ts";
import { isStreamingMethod, route } from "./director.ts";
import { errorReply, tagStreamItem, tagUnaryReply } from "./envelope.ts";
import { callBackend, forwardOne, onWantTrailers, readRequestMessages, respondStatus } from "./forward.ts";
import { concat, encodeFrame, FrameError, MAX_MESSAGE_SIZE } from "./grpc-frame.ts";
import { formatStatusError, GrpcCode, type GrpcStatus } from "./grpc-status.ts";

const CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";

/** TLS material of the listener; read again for each new connection so rotated certificates apply. */
export interface ApidTls {
  readonly key: string;
  readonly cert: string;
  /** The OS CA that client certificates must chain to. */
  readonly ca: string;
}

export interface ApidOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: () => ApidTls;
  /** `machine.features.rbac`: roles from the certificate; otherwise every caller holds every role. */
  readonly rbac: boolean;
  /** `machine.features.apidCheckExtKeyUsage`: client certificates must be for client auth only. */
  readonly extKeyUsageCheck: boolean;
  readonly local: Backend;
  /**
   * machined's handler in this process: local calls are handed to it directly, skipping the socket hop
   * (same bytes and metadata as over the socket, a third less CPU per call).
   */
  readonly localHandler?: (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;
  /** Other nodes' apid; absent on nodes without a client certificate, which then cannot forward. */
  readonly remote?: BackendPool;
  /** Whether a `node`/`nodes` target names this node. */
  readonly isLocal: (target: string) => boolean;
}

export interface Apid {
  readonly address: AddressInfo;
  /** Replaces the server certificate for new connections. */
  refreshTls(): void;
  close(): Promise<void>;
}

export async function startApid(opts: ApidOptions): Promise<Apid> {
  const initial = opts.tls();
  const server = http2.createSecureServer({
    key: initial.key,
    cert: initial.cert,
    ca: initial.ca,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: "TLSv1.2",
    allowHTTP1: false,
    settings: { maxHeaderListSize: 64 * 1024 },
    maxSessionMemory: 64,
  });
  server.on("request", (req, res) => {
    handleStream(req.stream, req.headers, opts, req, res).catch((e: unknown) => {
      respondStatus(req.stream, { code: GrpcCode.Internal, message: (e as Error).message });
    });
  });
  // Track sessions from the start, so that close() can end them.
  sessions(server);
  // Protocol errors of one client must not take the listener down.
  server.on("sessionError", () => {});
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    address: server.address() as AddressInfo,
    refreshTls: () => {
      const t = opts.tls();
      server.setSecureContext({ key: t.key, cert: t.cert, ca: t.ca });
    },
    close: () =>
      new Promise<void>((resolve) => {
        opts.remote?.close();
        opts.local.close();
        server.close(() => resolve());
        // Sessions kept open by clients would hold close() forever.
        for (const s of sessions(server)) s.destroy();
      }),
  };
}

/** Tracks open sessions so close() can end them. */
const openSessions = new WeakMap<http2.Http2SecureServer, Set<http2.ServerHttp2Session>>();
function sessions(server: http2.Http2SecureServer): Set<http2.ServerHttp2Session> {
  let set = openSessions.get(server);
  if (set === undefined) {
    set = new Set();
    openSessions.set(server, set);
    server.on("session", (s) => {
      set?.add(s);
      s.on("close", () => set?.delete(s));
    });
  }
  return set;
}

/** The values of a metadata key, whether sent as repeated headers or joined with commas. */
export function headerValues(headers: http2.IncomingHttpHeaders, name: string): string[] | undefined {
  const raw = headers[name];
  if (raw === undefined) return undefined;
  return (Array.isArray(raw) ? raw : [raw])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/** Metadata that is passed on: everything but pseudo-headers, HTTP/2 plumbing and routing keys. */
const DROPPED = new Set(["te", "content-type", "content-length", "connection", "host", "node", "nodes", "talos-role"]);

function forwardedMetadata(headers: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith(":") || DROPPED.has(k) || v === undefined) continue;
    out[k] = v;
  }
  return out;
}

function callerRoles(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, opts: ApidOptions) {
  const socket = stream.session?.socket as TLSSocket | undefined;
  const cert = socket?.getPeerCertificate();
  if (cert === undefined || Object.keys(cert).length === 0) return { error: "no client certificate" };
  if (opts.extKeyUsageCheck) {
    const eku = cert.ext_key_usage ?? [];
    if (eku.length !== 1 || eku[0] !== CLIENT_AUTH_OID) {
      return { error: "client certificate must be valid for client authentication only" };
    }
  }
  if (!opts.rbac) return { roles: [...ALL_ROLES] };
  const org = cert.subject?.O;
  const certRoles = rolesFromOrganization(Array.isArray(org) ? org : org !== undefined ? [org] : []);
  return { roles: effectiveRoles(certRoles, headerValues(headers, "talos-role")) };
}

async function handleStream(
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  opts: ApidOptions,
  req: http2.Http2ServerRequest,
  res: http2.Http2ServerResponse,
): Promise<void> {
  stream.on("error", () => {});
  const path = String(headers[":path"] ?? "");
  const auth = callerRoles(stream, headers, opts);
  if (auth.roles === undefined) {
    respondStatus(stream, { code: 16, message: auth.error ?? "unauthenticated" });
    return;
  }
  const roles = auth.roles;
  const decision = route(
    path,
    {
      node: headerValues(headers, "node"),
      nodes: headerValues(headers, "nodes"),
      proxyfrom: headers["proxyfrom"] !== undefined,
    },
    { canForward: opts.remote !== undefined, isLocal: opts.isLocal },
  );
  const metadata = forwardedMetadata(headers);
  const localMetadata = { ...metadata, "talos-role": roles };
  const remoteMetadata = {
    ...metadata,
    "talos-role": roles,
    proxyfrom: String(headers[":authority"] ?? "unknown"),
  };

  switch (decision.kind) {
    case "error":
      respondStatus(stream, { code: decision.code, message: decision.message });
      return;
    case "local":
      if (opts.localHandler !== undefined) {
        // The caller's own talos-role (and routing keys) must never reach machined: replace them.
        for (const k of DROPPED) if (!k.startsWith("content") && k !== "te") delete req.headers[k];
        req.headers["talos-role"] = roles.join(",");
        opts.localHandler(req, res);
        return;
      }
      forwardOne(stream, opts.local, path, localMetadata);
      return;
    case "one":
      forwardOne(stream, remote(opts).get(decision.target), path, remoteMetadata);
      return;
    case "many":
      await fanOut(stream, path, decision.targets, remoteMetadata, opts);
      return;
  }
}

function remote(opts: ApidOptions): BackendPool {
  if (opts.remote === undefined) throw new Error("no request forwarding");
  return opts.remote;
}

/** One-to-many: the same request to every target, replies tagged with the target and merged. */
async function fanOut(
  stream: http2.ServerHttp2Stream,
  path: string,
  targets: readonly string[],
  metadata: http2.OutgoingHttpHeaders,
  opts: ApidOptions,
): Promise<void> {
  let body: Uint8Array;
  try {
    const messages = await readRequestMessages(stream);
    if (messages.length !== 1) {
      respondStatus(stream, { code: GrpcCode.Internal, message: "one-to-many calls take exactly one request message" });
      return;
    }
    body = messages[0] ?? new Uint8Array(0);
  } catch (e) {
    const code = e instanceof FrameError ? 8 : GrpcCode.Internal;
    respondStatus(stream, { code, message: (e as Error).message });
    return;
  }
  const abort = new AbortController();
  stream.on("close", () => abort.abort());
  const pool = remote(opts);
  const failure = (target: string, status: GrpcStatus) => ({
    hostname: target,
    error: formatStatusError(status),
    status,
  });

  if (isStreamingMethod(path)) {
    stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
    const write = (message: Uint8Array) => {
      if (!stream.destroyed) stream.write(encodeFrame(message));
    };
    await Promise.all(
      targets.map(async (target) => {
        const { status } = await callBackend(
          pool.get(target),
          path,
          metadata,
          body,
          (m) => write(tagStreamItem(m, { hostname: target })),
          abort.signal,
        );
        if (status.code !== GrpcCode.OK && !abort.signal.aborted) {
          write(tagStreamItem(new Uint8Array(0), failure(target, status)));
        }
      }),
    );
    if (stream.destroyed) return;
    onWantTrailers(stream, () => ({ "grpc-status": "0", "grpc-message": "" }));
    stream.end();
    return;
  }

  const replies = await Promise.all(
    targets.map(async (target) => {
      const parts: Uint8Array[] = [];
      const { status } = await callBackend(pool.get(target), path, metadata, body, (m) => parts.push(m), abort.signal);
      if (status.code !== GrpcCode.OK) return errorReply(failure(target, status));
      try {
        return tagUnaryReply(concat(parts), { hostname: target });
      } catch (e) {
        return errorReply(failure(target, { code: GrpcCode.Internal, message: (e as Error).message }));
      }
    }),
  );
  if (stream.destroyed) return;
  const merged = concat(replies);
  if (merged.length > MAX_MESSAGE_SIZE) {
    respondStatus(stream, { code: 8, message: `merged reply of ${merged.length} bytes exceeds the message limit` });
    return;
  }
  stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  onWantTrailers(stream, () => ({ "grpc-status": "0", "grpc-message": "" }));
  stream.end(encodeFrame(merged));
}
