// An in-process stand-in for a node's apid, for CLI tests: an HTTP/2 TLS server on 127.0.0.1 (random port)
// with mTLS from a fresh OS CA (or, for maintenance mode, plain TLS with a throwaway certificate), serving
// canned replies. Handlers emulate apid's one-to-many envelope with `fanOut` / `fanOutStream`: each node
// named in the `nodes` metadata gets a reply element tagged with its hostname, failures become elements
// carrying only `metadata.error` and `metadata.status`.
import { createHash, X509Certificate } from "node:crypto";
import { writeFile } from "node:fs/promises";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { createCertificateAuthority, issueClientCertificate, issueServerCertificate } from "@talos/machinery/secrets";
import { tempDir } from "./harness.ts";

export interface FakeApidOptions {
  /** Registers the services the test needs (MachineService, StorageService, ...). */
  readonly routes: (router: ConnectRouter) => void;
  /** Maintenance mode: TLS without client certificates. */
  readonly insecure?: boolean;
  /** Nodes written into the talosconfig context. */
  readonly contextNodes?: readonly string[];
}

export interface FakeApid {
  readonly port: number;
  readonly endpoint: string;
  /** A temp dir (the cwd/HOME for the CLI) holding the talosconfig. */
  readonly dir: string;
  readonly talosconfig: string;
  /** SHA-256 of the server certificate's SPKI, base64: what `--cert-fingerprint` pins. */
  readonly fingerprint: string;
  /** Every call the server saw: the method path and its metadata. */
  readonly calls: { path: string; headers: Record<string, string> }[];
  close(): Promise<void>;
}

function b64(s: string): string {
  return Buffer.from(s).toString("base64");
}

/** SPKI fingerprint computed with node:crypto (independently of the code under test). */
function fingerprintOf(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

export async function startFakeApid(opts: FakeApidOptions): Promise<FakeApid> {
  const tmp = await tempDir("talosctl-fake-apid-");
  const ca = await createCertificateAuthority({ organization: ["talos"], lifetimeMs: 3600_000 });
  const server = await issueServerCertificate(ca, { ipAddresses: ["127.0.0.1"], lifetimeMs: 3600_000 });
  const client = await issueClientCertificate(ca, { roles: ["os:admin"] });
  const pemKey = (k: string) => k.replaceAll("ED25519 PRIVATE KEY", "PRIVATE KEY");

  const calls: FakeApid["calls"] = [];
  const adapter = connectNodeAdapter({ routes: opts.routes });
  const srv = http2.createSecureServer(
    {
      key: pemKey(server.key),
      cert: server.crt,
      ...(opts.insecure === true ? {} : { ca: ca.crt, requestCert: true, rejectUnauthorized: true }),
      allowHTTP1: false,
    },
    (req, res) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (!k.startsWith(":")) headers[k] = String(v);
      calls.push({ path: req.url, headers });
      adapter(req, res);
    },
  );
  srv.on("sessionError", () => {});
  srv.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as AddressInfo).port;
  const endpoint = `127.0.0.1:${port}`;

  const nodes =
    opts.contextNodes !== undefined && opts.contextNodes.length > 0
      ? `        nodes:\n${opts.contextNodes.map((n) => `            - ${n}\n`).join("")}`
      : "";
  const talosconfig = join(tmp.path, "talosconfig");
  await writeFile(
    talosconfig,
    "context: test\n" +
      "contexts:\n" +
      "    test:\n" +
      `        endpoints:\n            - ${endpoint}\n` +
      nodes +
      `        ca: ${b64(ca.crt)}\n` +
      `        crt: ${b64(client.crt)}\n` +
      `        key: ${b64(client.key)}\n`,
    { mode: 0o600 },
  );

  const sessions = new Set<http2.ServerHttp2Session>();
  srv.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  return {
    port,
    endpoint,
    dir: tmp.path,
    talosconfig,
    fingerprint: fingerprintOf(server.crt),
    calls,
    close: async () => {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
      await tmp.cleanup();
    },
  };
}

/** The targets of a call: the `nodes` metadata values, or undefined for a one-to-one call. */
export function targetNodes(ctx: HandlerContext): string[] | undefined {
  const v = ctx.requestHeader.get("nodes");
  if (v === null) return undefined;
  return v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Go's `err.Error()` of a gRPC status, as apid puts it into `metadata.error`. */
const CODE_NAMES: Record<number, string> = {
  [Code.Unknown]: "Unknown",
  [Code.NotFound]: "NotFound",
  [Code.FailedPrecondition]: "FailedPrecondition",
  [Code.Unavailable]: "Unavailable",
  [Code.Unimplemented]: "Unimplemented",
  [Code.PermissionDenied]: "PermissionDenied",
};

function errorMetadata(node: string, e: ConnectError) {
  return {
    hostname: node,
    error: `rpc error: code = ${CODE_NAMES[e.code] ?? e.code} desc = ${e.rawMessage}`,
    status: { code: e.code, message: e.rawMessage },
  };
}

type Element = Record<string, unknown> & { metadata?: unknown };

/**
 * A unary reply as apid builds it for `nodes` metadata: one element per node (tagged with its hostname),
 * a failed node's element carrying only its error. Without `nodes`, the one element of the local node.
 */
export function fanOut<T extends Element>(
  ctx: HandlerContext,
  perNode: (node: string) => T | ConnectError,
): { messages: T[] } {
  const nodes = targetNodes(ctx);
  if (nodes === undefined) {
    const r = perNode("");
    if (r instanceof ConnectError) throw r;
    return { messages: [r] };
  }
  return {
    messages: nodes.map((node) => {
      const r = perNode(node);
      if (r instanceof ConnectError) return { metadata: errorMetadata(node, r) } as unknown as T;
      return { ...r, metadata: { hostname: node } };
    }),
  };
}

/** A server stream as apid merges it: every node's items tagged with its hostname, a failure as one item. */
export async function* fanOutStream<T extends Element>(
  ctx: HandlerContext,
  perNode: (node: string) => T[] | ConnectError,
): AsyncIterable<T> {
  const nodes = targetNodes(ctx) ?? [""];
  for (const node of nodes) {
    const r = perNode(node);
    if (r instanceof ConnectError) {
      if (node === "") throw r;
      yield { metadata: errorMetadata(node, r) } as unknown as T;
      continue;
    }
    for (const item of r) yield node === "" ? item : { ...item, metadata: { hostname: node } };
  }
}

/** A one-file ustar archive, gzip'd: what Kubeconfig streams back. */
export function tarGzOneFile(name: string, data: Uint8Array, mode = 0o600): Uint8Array {
  const header = Buffer.alloc(512);
  const put = (s: string, off: number, len: number) => header.write(s.slice(0, len), off, "ascii");
  const octal = (n: number, len: number) => `${n.toString(8).padStart(len - 1, "0")}\0`;
  put(name, 0, 100);
  put(octal(mode, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(data.length, 12), 124, 12);
  put(octal(Math.floor(Date.now() / 1000), 12), 136, 12);
  put("        ", 148, 8);
  put("0", 156, 1);
  put("ustar\0", 257, 6);
  put("00", 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return gzipSync(Buffer.concat([header, Buffer.from(data), pad, Buffer.alloc(1024)]));
}
