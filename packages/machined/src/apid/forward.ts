// Forwarding gRPC calls as bytes over HTTP/2: one-to-one passthrough and the per-target calls of a
// one-to-many fan-out. Nothing here knows message types.
import http2 from "node:http2";
import type { Backend } from "./backend.ts";
import { encodeFrame, FrameDecoder } from "./grpc-frame.ts";
import { encodeGrpcMessage, GrpcCode, type GrpcStatus, statusFromHeaders } from "./grpc-status.ts";

const { NGHTTP2_CANCEL } = http2.constants;

/** Headers of a gRPC request to a backend. */
export function requestHeaders(path: string, metadata: http2.OutgoingHttpHeaders): http2.OutgoingHttpHeaders {
  return {
    ...metadata,
    ":method": "POST",
    ":path": path,
    "content-type": "application/grpc",
    te: "trailers",
  };
}

/** Ends a call with an error status and no messages (a trailers-only response). */
export function respondStatus(stream: http2.ServerHttp2Stream, status: GrpcStatus): void {
  if (stream.destroyed || stream.closed) return;
  const headers = {
    "content-type": "application/grpc",
    "grpc-status": String(status.code),
    "grpc-message": encodeGrpcMessage(status.message),
  };
  if (stream.headersSent) {
    // Too late for trailers-only: the call already answered; end it with trailers if we still can.
    stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  stream.respond({ ":status": 200, ...headers }, { endStream: true });
}

const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  EHOSTUNREACH: "no route to host",
  ENETUNREACH: "network is unreachable",
  ETIMEDOUT: "i/o timeout",
  ECONNRESET: "connection reset by peer",
};

/** A failed dial, worded as Go's gRPC reports it (what Talos users see in `metadata.error`). */
function dialError(e: unknown): GrpcStatus {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException & { address?: string; port?: number } };
  const cause = err.cause ?? (err as unknown as typeof err.cause);
  const reason = cause?.code !== undefined ? ERRNO_TEXT[cause.code] : undefined;
  if (reason !== undefined && cause?.address !== undefined) {
    const host = cause.address.includes(":") ? `[${cause.address}]` : cause.address;
    return {
      code: GrpcCode.Unavailable,
      message: `connection error: desc = "transport: Error while dialing: dial tcp ${host}:${cause.port}: connect: ${reason}"`,
    };
  }
  return { code: GrpcCode.Unavailable, message: `connection error: desc = "transport: ${(e as Error).message}"` };
}

function trailersOf(h: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (!k.startsWith(":") && v !== undefined) out[k] = v;
  return out;
}

/**
 * Sends our trailers when the stream asks for them. The HTTP/2 compatibility layer (apid serves machined's
 * handler through it) registers its own sender on every stream; on streams we answer ourselves it must go.
 */
export function onWantTrailers(stream: http2.ServerHttp2Stream, trailers: () => http2.OutgoingHttpHeaders): void {
  stream.removeAllListeners("wantTrailers");
  stream.once("wantTrailers", () => {
    if (!stream.destroyed) stream.sendTrailers(trailers());
  });
}

/** Passes a call through to a backend: request bytes up, response bytes, headers and trailers down. */
export function forwardOne(
  stream: http2.ServerHttp2Stream,
  backend: Backend,
  path: string,
  metadata: http2.OutgoingHttpHeaders,
): void {
  let req: http2.ClientHttp2Stream;
  try {
    req = backend.request(requestHeaders(path, metadata));
  } catch (e) {
    respondStatus(stream, dialError(e));
    return;
  }
  let trailers: http2.OutgoingHttpHeaders | undefined;
  stream.on("data", (chunk: Buffer) => req.write(chunk));
  stream.on("end", () => req.end());
  stream.on("close", () => {
    if (!req.closed) req.close(NGHTTP2_CANCEL);
  });
  stream.on("error", () => {});
  onWantTrailers(
    stream,
    () => trailers ?? { "grpc-status": String(GrpcCode.Internal), "grpc-message": "proxy: backend sent no trailers" },
  );
  req.on("response", (headers) => {
    if (stream.destroyed) return;
    if (req.endAfterHeaders) {
      stream.respond({ ...trailersOf(headers), ":status": 200 }, { endStream: true });
      return;
    }
    stream.respond(
      { ":status": 200, "content-type": headers["content-type"] ?? "application/grpc" },
      { waitForTrailers: true },
    );
  });
  req.on("data", (chunk: Buffer) => {
    if (!stream.destroyed) stream.write(chunk);
  });
  req.on("trailers", (t) => {
    trailers = trailersOf(t);
  });
  req.on("end", () => {
    if (!stream.destroyed && stream.headersSent && !stream.writableEnded) stream.end();
  });
  req.on("error", (e) => {
    if (!stream.headersSent) respondStatus(stream, dialError(e));
    else if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  });
  // The backend went away mid-call (its node died): end the caller's call too, so that a followed stream
  // (logs -f, dmesg -f) does not hang forever.
  req.on("close", () => {
    if (stream.destroyed || stream.writableEnded) return;
    if (!stream.headersSent) {
      respondStatus(stream, { code: GrpcCode.Unavailable, message: "connection closed before the call finished" });
    } else if (trailers === undefined) {
      stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    }
  });
}

/** The outcome of one target's call in a fan-out. */
export interface CallResult {
  readonly status: GrpcStatus;
}

/**
 * Sends one request message to a backend and hands each reply message to `onMessage` as it arrives.
 * Resolves with the final status; dial and transport failures become `Unavailable`. Aborting cancels.
 */
export function callBackend(
  backend: Backend,
  path: string,
  metadata: http2.OutgoingHttpHeaders,
  body: Uint8Array,
  onMessage: (message: Uint8Array) => void,
  signal?: AbortSignal,
): Promise<CallResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (status: GrpcStatus) => {
      if (!settled) {
        settled = true;
        resolve({ status });
      }
    };
    let req: http2.ClientHttp2Stream;
    try {
      req = backend.request(requestHeaders(path, metadata));
    } catch (e) {
      done(dialError(e));
      return;
    }
    const onAbort = () => {
      if (!req.closed) req.close(NGHTTP2_CANCEL);
      done({ code: GrpcCode.Canceled, message: "context canceled" });
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const decoder = new FrameDecoder();
    let status: GrpcStatus | undefined;
    req.on("response", (headers) => {
      status = statusFromHeaders(headers);
    });
    req.on("data", (chunk: Buffer) => {
      try {
        for (const m of decoder.push(chunk)) onMessage(m);
      } catch (e) {
        req.close(NGHTTP2_CANCEL);
        done({ code: GrpcCode.Internal, message: (e as Error).message });
      }
    });
    req.on("trailers", (t) => {
      status = statusFromHeaders(t) ?? status;
    });
    req.on("close", () => {
      signal?.removeEventListener("abort", onAbort);
      done(status ?? { code: GrpcCode.Unavailable, message: "connection closed before the call finished" });
    });
    req.on("error", (e) => done(dialError(e)));
    req.end(encodeFrame(body));
  });
}

/** Reads a whole request body (all frames) from the caller. */
export function readRequestMessages(stream: http2.ServerHttp2Stream): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const decoder = new FrameDecoder();
    const messages: Uint8Array[] = [];
    stream.on("data", (chunk: Buffer) => {
      try {
        messages.push(...decoder.push(chunk));
      } catch (e) {
        reject(e);
      }
    });
    stream.on("end", () => resolve(messages));
    stream.on("error", reject);
  });
}
