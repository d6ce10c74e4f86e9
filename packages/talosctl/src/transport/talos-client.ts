import { isIP, connect as netConnect } from "node:net";
import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { normalizeEndpoints, type SelectedContext } from "@talos/machinery/client-config";
import type { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { globalOptions } from "../cli/program.ts";
import { commandContext, openTalosconfig } from "../talosconfig/index.ts";
import { TALOSCTL_VERSION } from "../version.ts";
import { createFailoverTransport } from "./failover-transport.ts";

/** How long a connection attempt may take before failover tries the next endpoint. */
const PROBE_TIMEOUT_MS = 5000;

/** Whether a TCP connection to host:port opens within the timeout. */
function tcpReachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Talos's limit on a message (32 MiB). */
const MAX_MESSAGE_SIZE = 32 * 1024 * 1024;

/** A connection to the Talos API as the global flags and talosconfig describe it. */
export interface TalosConnection {
  readonly transport: Transport;
  /** `--nodes`, else the context's nodes. */
  readonly nodes: readonly string[];
  readonly endpoints: readonly string[];
  /** Metadata talosctl adds to every call (`runtime`, `context`). */
  readonly baseHeaders: Record<string, string>;
}

export interface Credentials {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

function decode(b64: string | undefined, what: string, source: string): string {
  if (b64 === undefined || b64 === "") throw new CliError(`${source}: the context has no ${what}`);
  return Buffer.from(b64, "base64").toString("utf8");
}

/** Transport to some endpoints with mTLS (each endpoint verified by its own host name or IP). */
export function createTalosTransport(endpoints: readonly string[], creds: Credentials): Transport {
  return createFailoverTransport(
    normalizeEndpoints(endpoints).map((address) => {
      const host = address.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
      const port = Number(/:(\d+)$/.exec(address)?.[1] ?? 50000);
      return {
        endpoint: address,
        probe: () => tcpReachable(host, port, PROBE_TIMEOUT_MS),
        transport: createGrpcTransport({
          baseUrl: `https://${address}`,
          readMaxBytes: MAX_MESSAGE_SIZE,
          writeMaxBytes: MAX_MESSAGE_SIZE,
          nodeOptions: {
            ca: creds.ca,
            cert: creds.cert,
            // Node's TLS reads Ed25519 PKCS#8 keys only under the standard label.
            key: creds.key.replaceAll("ED25519 PRIVATE KEY", "PRIVATE KEY"),
            ...(isIP(host) === 0 ? { servername: host } : {}),
          },
        }),
      };
    }),
  );
}

/** Builds the connection for a command from `--talosconfig`, `--context`, `-e` and `-n`. */
export async function connect(cmd: Command): Promise<TalosConnection> {
  const loaded = await openTalosconfig(cmd);
  const selected: SelectedContext = commandContext(loaded, cmd);
  const g = globalOptions(cmd);
  const source = `${loaded.location.path} (context ${JSON.stringify(selected.name)})`;
  const endpoints = g.endpoints.length > 0 ? g.endpoints : selected.context.endpoints;
  if (endpoints.length === 0) {
    throw new CliError(`${source}: no endpoints; set them with "talosctl config endpoint" or pass -e`);
  }
  const creds = {
    ca: decode(selected.context.ca, "CA certificate (ca)", source),
    cert: decode(selected.context.crt, "client certificate (crt)", source),
    key: decode(selected.context.key, "client key (key)", source),
  };
  const cluster = g.cluster ?? selected.context.cluster;
  return {
    transport: createTalosTransport(endpoints, creds),
    nodes: g.nodes.length > 0 ? g.nodes : [...(selected.context.nodes ?? [])],
    endpoints,
    baseHeaders: { runtime: "Talos", ...(cluster !== undefined && cluster !== "" ? { context: cluster } : {}) },
  };
}

/** Headers targeting several nodes (one-to-many through the endpoint's apid). */
export function nodesHeaders(conn: TalosConnection, nodes: readonly string[]): Headers {
  const h = new Headers(conn.baseHeaders);
  for (const n of nodes) h.append("nodes", n);
  return h;
}

/** Headers targeting one node (one-to-one). */
export function nodeHeaders(conn: TalosConnection, node: string | undefined): Headers {
  const h = new Headers(conn.baseHeaders);
  if (node !== undefined && node !== "") h.set("node", node);
  return h;
}

export const CLIENT_USER_AGENT = `talosctl/${TALOSCTL_VERSION}`;
