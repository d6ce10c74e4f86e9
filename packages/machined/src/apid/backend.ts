import http2 from "node:http2";
import net from "node:net";
import { APID_PORT } from "@talos/machinery/constants";

/** Something apid forwards calls to: the local machined socket or another node's apid. */
export interface Backend {
  /** A short name for errors and logs (`local` or the target). */
  readonly name: string;
  /** Opens a gRPC request stream; errors (including dial errors) surface as the stream's `error` event. */
  request(headers: http2.OutgoingHttpHeaders): http2.ClientHttp2Stream;
  close(): void;
}

/** A session opened on demand and reopened after it closes or fails. */
function reconnecting(name: string, connect: () => http2.ClientHttp2Session): Backend {
  let session: http2.ClientHttp2Session | undefined;
  const current = () => {
    if (session === undefined || session.closed || session.destroyed) {
      const s = connect();
      // A failed dial is reported on each request stream; the session error itself must not crash us.
      s.on("error", () => {});
      s.on("close", () => {
        if (session === s) session = undefined;
      });
      s.on("goaway", () => {
        if (session === s) session = undefined;
      });
      session = s;
    }
    return session;
  };
  return {
    name,
    request: (headers) => current().request(headers),
    close: () => {
      session?.close();
      session = undefined;
    },
  };
}

/** machined's API over its unix socket (HTTP/2 without TLS), as apid reaches it in Talos. */
export function localBackend(socketPath: string): Backend {
  return reconnecting("local", () =>
    http2.connect("http://localhost", { createConnection: () => net.connect(socketPath) }),
  );
}

/** Credentials apid presents to other nodes (its `os:impersonator` client certificate). */
export interface RemoteCredentials {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** Another node's apid at `target:50000`, over mTLS with this node's client certificate. */
export function remoteBackend(target: string, creds: () => RemoteCredentials, port = APID_PORT): Backend {
  const host = target.includes(":") && !target.startsWith("[") ? `[${target}]` : target;
  return reconnecting(target, () => {
    const c = creds();
    return http2.connect(`https://${host}:${port}`, {
      ca: c.ca,
      cert: c.cert,
      key: c.key,
      ...(net.isIP(target) === 0 ? { servername: target } : {}),
      ALPNProtocols: ["h2"],
    });
  });
}

/** Remote backends by target, created on first use. */
export class BackendPool {
  private readonly backends = new Map<string, Backend>();
  private readonly factory: (target: string) => Backend;

  constructor(factory: (target: string) => Backend) {
    this.factory = factory;
  }

  get(target: string): Backend {
    let b = this.backends.get(target);
    if (b === undefined) {
      b = this.factory(target);
      this.backends.set(target, b);
    }
    return b;
  }

  close(): void {
    for (const b of this.backends.values()) b.close();
    this.backends.clear();
  }
}
