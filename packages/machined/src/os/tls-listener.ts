import http2 from "node:http2";
import type { AddressInfo } from "node:net";

/** A listening HTTP/2 TLS server that can be closed even while clients keep their sessions open. */
export interface TlsListener {
  readonly server: http2.Http2SecureServer;
  readonly address: AddressInfo;
  /** Stops accepting; open sessions get `graceMs` to finish, then are destroyed. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Starts an HTTP/2 TLS server on host:port. One client's protocol or handshake errors never take the
 * listener down.
 */
export async function listenTls(
  options: http2.SecureServerOptions,
  handler: (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
  host: string,
  port: number,
): Promise<TlsListener> {
  const server = http2.createSecureServer({ allowHTTP1: false, ...options }, handler);
  server.on("sessionError", () => {});
  server.on("tlsClientError", () => {});
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    address: server.address() as AddressInfo,
    close: (graceMs = 0) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) {
          if (graceMs > 0) s.close();
          else s.destroy();
        }
        if (graceMs > 0) {
          setTimeout(() => {
            for (const s of sessions) s.destroy();
            resolve();
          }, graceMs).unref();
        }
      }),
  };
}
