// gRPC status codes, their Go names (as Talos's errors print them) and grpc-message encoding.

export const GRPC_CODE_NAMES = [
  "OK",
  "Canceled",
  "Unknown",
  "InvalidArgument",
  "DeadlineExceeded",
  "NotFound",
  "AlreadyExists",
  "PermissionDenied",
  "ResourceExhausted",
  "FailedPrecondition",
  "Aborted",
  "OutOfRange",
  "Unimplemented",
  "Internal",
  "Unavailable",
  "DataLoss",
  "Unauthenticated",
] as const;

export const GrpcCode = {
  OK: 0,
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  PermissionDenied: 7,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
} as const;

export interface GrpcStatus {
  readonly code: number;
  readonly message: string;
}

/** How Go's grpc prints a status error (`err.Error()`), which Talos puts in `metadata.error`. */
export function formatStatusError(s: GrpcStatus): string {
  return `rpc error: code = ${GRPC_CODE_NAMES[s.code] ?? `Code(${s.code})`} desc = ${s.message}`;
}

/** Percent-encodes a grpc-message value (the gRPC HTTP/2 spec: bytes outside 0x20-0x7E and `%`). */
export function encodeGrpcMessage(message: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(message)) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export function decodeGrpcMessage(value: string | undefined): string {
  if (value === undefined) return "";
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The status carried by response headers or trailers; undefined if they carry none. */
export function statusFromHeaders(headers: Record<string, unknown>): GrpcStatus | undefined {
  const raw = headers["grpc-status"];
  if (raw === undefined) return undefined;
  const code = Number(Array.isArray(raw) ? raw[0] : raw);
  const msg = headers["grpc-message"];
  return {
    code: Number.isInteger(code) ? code : GrpcCode.Unknown,
    message: decodeGrpcMessage(typeof msg === "string" ? msg : undefined),
  };
}
