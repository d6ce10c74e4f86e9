// The maintenance-mode client (`--insecure`): TLS without a client certificate and without verifying the
// server's chain (a node without config serves a throwaway self-signed certificate), optionally pinned
// with `--cert-fingerprint`: SHA-256 over the leaf certificate's SubjectPublicKeyInfo, standard base64, as
// siderolabs/crypto's MatchSPKIFingerprints checks it. `--nodes` are the endpoints; no node metadata is sent.
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { Duplex } from "node:stream";
import tls from "node:tls";
import type { DescMessage, DescMethodStreaming, DescMethodUnary, MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type ContextValues, type StreamResponse, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { normalizeEndpoints } from "@talos/machinery/client-config";
import type { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { globalOptions } from "../cli/program.ts";
import type { TalosConnection } from "./talos-client.ts";

/** Talos's limit on a message (32 MiB). */
const MAX_MESSAGE_SIZE = 32 * 1024 * 1024;

/** The server's leaf certificate is not one of the pinned ones. */
export class FingerprintMismatchError extends Error {
  override readonly name = "FingerprintMismatchError";
}

/**
 * Decodes `--cert-fingerprint` values (standard base64, as Go's StdEncoding reads them).
 *
 * @throws {CliError} `error parsing certificate fingerprint "...": illegal base64 data at input byte N`
 */
export function parseCertFingerprints(values: readonly string[]): Uint8Array[] {
  return values.map((v) => {
    const bad = v.search(/[^A-Za-z0-9+/=]/);
    const padAt = v.indexOf("=");
    let at = -1;
    if (bad !== -1) at = bad;
    else if (padAt !== -1 && (v.length % 4 !== 0 || !/^={1,2}$/.test(v.slice(padAt)))) at = padAt;
    else if (v.length % 4 !== 0) at = v.length - (v.length % 4);
    if (at !== -1)
      throw new CliError(`error parsing certificate fingerprint "${v}": illegal base64 data at input byte ${at}`);
    return new Uint8Array(Buffer.from(v, "base64"));
  });
}

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

function readTlv(der: Uint8Array, offset: number): Tlv {
  const tag = der[offset];
  let len = der[offset + 1];
  if (tag === undefined || len === undefined) throw new Error("truncated DER");
  let header = 2;
  if ((len & 0x80) !== 0) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (der[offset + 2 + i] ?? 0);
    header += n;
  }
  const end = offset + header + len;
  if (end > der.length) throw new Error("truncated DER");
  return { tag, start: offset, contentStart: offset + header, end };
}

/** The raw SubjectPublicKeyInfo (DER) of a DER certificate, exactly as it is encoded in the certificate. */
export function certificateSpki(der: Uint8Array): Uint8Array {
  const cert = readTlv(der, 0);
  const tbs = readTlv(der, cert.contentStart);
  let pos = tbs.contentStart;
  if (readTlv(der, pos).tag === 0xa0) pos = readTlv(der, pos).end; // [0] version
  // serialNumber, signature, issuer, validity, subject
  for (let i = 0; i < 5; i++) pos = readTlv(der, pos).end;
  const spki = readTlv(der, pos);
  return der.subarray(spki.start, spki.end);
}

/** The SPKI fingerprint talosctl pins: standard base64 of SHA-256 over the certificate's SPKI. */
export function spkiFingerprint(der: Uint8Array): string {
  return createHash("sha256").update(certificateSpki(der)).digest("base64");
}

/**
 * A TLS connection that holds back everything the HTTP/2 session writes until the handshake is done and
 * the leaf certificate's fingerprint matched; on a mismatch it fails before a single request byte is sent.
 */
function pinnedConnection(host: string, port: number, fingerprints: readonly Uint8Array[]): Duplex {
  const socket = tls.connect({
    host,
    port,
    ALPNProtocols: ["h2"],
    rejectUnauthorized: false,
    ...(isIP(host) === 0 ? { servername: host } : {}),
  });
  // HTTP/2 sees only the gate and cannot ref/unref this socket as it does its own: an idle connection
  // must not keep talosctl running, so the socket never holds the process; calls do (see holdProcess).
  socket.unref();
  let verified = false;
  const pending: { chunk: Buffer; cb: (e?: Error | null) => void }[] = [];
  const gate = new Duplex({
    write(chunk: Buffer, _enc, cb) {
      if (verified) socket.write(chunk, cb);
      else pending.push({ chunk, cb });
    },
    read() {
      socket.resume();
    },
    final(cb) {
      socket.end();
      cb();
    },
    destroy(err, cb) {
      socket.destroy();
      cb(err);
    },
  });
  socket.on("data", (d: Buffer) => {
    if (!gate.push(d)) socket.pause();
  });
  socket.on("end", () => gate.push(null));
  socket.on("error", (e) => gate.destroy(e));
  socket.on("close", () => gate.destroy());
  socket.once("secureConnect", () => {
    const raw = socket.getPeerCertificate(false)?.raw;
    let got: Buffer | undefined;
    try {
      got = raw !== undefined ? createHash("sha256").update(certificateSpki(raw)).digest() : undefined;
    } catch {
      got = undefined;
    }
    if (got === undefined) {
      gate.destroy(new FingerprintMismatchError("no peer certificates found"));
      return;
    }
    if (!fingerprints.some((f) => Buffer.from(f).equals(got))) {
      const list = fingerprints.map((f) => Buffer.from(f).toString("base64")).join(" ");
      gate.destroy(
        new FingerprintMismatchError(`leaf peer certificate doesn't match the provided fingerprints: [${list}]`),
      );
      return;
    }
    verified = true;
    for (const p of pending.splice(0)) socket.write(p.chunk, p.cb);
  });
  return gate;
}

function mismatchOf(e: unknown): FingerprintMismatchError | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 8 && cur !== undefined && cur !== null; i++) {
    if (cur instanceof FingerprintMismatchError) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** gRPC-go's wording for a failed TLS handshake, so errors read as talosctl's do. */
function handshakeError(e: unknown): unknown {
  const m = mismatchOf(e);
  if (m === undefined) return e;
  return new ConnectError(
    `connection error: desc = "transport: authentication handshake failed: ${m.message}"`,
    Code.Unavailable,
  );
}

/** Keeps the process alive while a call is in flight (the pinned connection's socket does not). */
function holdProcess(): () => void {
  const timer = setInterval(() => {}, 2 ** 30);
  return () => clearInterval(timer);
}

async function* mapErrors<T>(it: AsyncIterable<T>, release: () => void): AsyncIterable<T> {
  try {
    yield* it;
  } catch (e) {
    throw handshakeError(e);
  } finally {
    release();
  }
}

/**
 * A transport to one maintenance-mode endpoint: TLS, no client certificate, no chain verification; with
 * fingerprints, the leaf's SPKI must match one of them.
 */
export function createInsecureTransport(endpoint: string, fingerprints: readonly Uint8Array[] = []): Transport {
  const address = normalizeEndpoints([endpoint])[0] ?? endpoint;
  const host = address.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
  const port = Number(/:(\d+)$/.exec(address)?.[1] ?? "50000");
  const inner = createGrpcTransport({
    baseUrl: `https://${address}`,
    readMaxBytes: MAX_MESSAGE_SIZE,
    writeMaxBytes: MAX_MESSAGE_SIZE,
    nodeOptions:
      fingerprints.length > 0
        ? { createConnection: () => pinnedConnection(host, port, fingerprints) }
        : { rejectUnauthorized: false, ...(isIP(host) === 0 ? { servername: host } : {}) },
  });
  return {
    async unary<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      signal: AbortSignal | undefined,
      timeoutMs: number | undefined,
      header: ConstructorParameters<typeof Headers>[0] | undefined,
      input: MessageInitShape<I>,
      contextValues?: ContextValues,
    ) {
      const release = holdProcess();
      try {
        return await inner.unary(method, signal, timeoutMs, header, input, contextValues);
      } catch (e) {
        throw handshakeError(e);
      } finally {
        release();
      }
    },
    async stream<I extends DescMessage, O extends DescMessage>(
      method: DescMethodStreaming<I, O>,
      signal: AbortSignal | undefined,
      timeoutMs: number | undefined,
      header: ConstructorParameters<typeof Headers>[0] | undefined,
      input: AsyncIterable<MessageInitShape<I>>,
      contextValues?: ContextValues,
    ): Promise<StreamResponse<I, O>> {
      const release = holdProcess();
      try {
        const res = await inner.stream(method, signal, timeoutMs, header, input, contextValues);
        return { ...res, message: mapErrors(res.message, release) };
      } catch (e) {
        release();
        throw handshakeError(e);
      }
    },
  };
}

/**
 * One maintenance-mode connection per `--nodes` value (each node is its own endpoint, talked to directly).
 *
 * @throws {CliError} when no node is given.
 */
export function insecureConnections(cmd: Command, fingerprints: readonly string[] = []): TalosConnection[] {
  const pins = parseCertFingerprints(fingerprints);
  const nodes = globalOptions(cmd).nodes;
  if (nodes.length === 0) throw new CliError("failed to determine endpoints");
  return nodes.map((node) => ({
    transport: createInsecureTransport(node, pins),
    nodes: [],
    endpoints: [node],
    baseHeaders: { runtime: "Talos" },
  }));
}
