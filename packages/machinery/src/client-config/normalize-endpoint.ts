import { parseGoUrl } from "../config/internal/go-url.ts";
import { APID_PORT } from "../constants/index.ts";

/**
 * Turns a talosconfig endpoint into the `host:port` address to dial, as the Talos client does: a URL is
 * reduced to its host (`https://h` → `h:443`, `https://h:8443` → `h:8443`, `grpc://h` → `h`), then a
 * missing port becomes `defaultPort` (apid's 50000). IPv6 literals come out bracketed (`[::1]:50000`).
 * Text that does not parse as a URL is kept as written before the port check.
 */
export function normalizeEndpoint(endpoint: string, defaultPort: number = APID_PORT): string {
  const address = reduceUrlToAddress(endpoint);
  return hasPort(address) ? address : joinHostPort(address, String(defaultPort));
}

/** {@link normalizeEndpoint} over a list. */
export function normalizeEndpoints(endpoints: readonly string[], defaultPort: number = APID_PORT): string[] {
  return endpoints.map((ep) => normalizeEndpoint(ep, defaultPort));
}

/** The URL-to-address step alone (the Talos client's `reduceURLsToAddresses` rule). */
export function reduceUrlToAddress(endpoint: string): string {
  const parsed = parseGoUrl(endpoint);
  if (!parsed.ok) return endpoint;
  const { scheme, hostname, port, host } = parsed.url;
  if (scheme === "https" && port === "") return joinHostPort(hostname, "443");
  if (scheme !== "") {
    if (port !== "") return joinHostPort(hostname, port);
    if (!isOpaque(endpoint)) return host;
  }
  return endpoint;
}

/** Go `url.URL.Opaque != ""`: a scheme followed by something other than a `/` path (e.g. `node1:50000`). */
function isOpaque(raw: string): boolean {
  const colon = raw.indexOf(":");
  const rest = (raw.slice(colon + 1).split("#")[0] ?? "").split("?")[0] ?? "";
  return rest !== "" && !rest.startsWith("/");
}

/** Go `net.SplitHostPort` succeeds. */
function hasPort(address: string): boolean {
  if (address.startsWith("[")) {
    const close = address.indexOf("]");
    return (
      close >= 0 &&
      address[close + 1] === ":" &&
      !address.slice(close + 2).includes(":") &&
      !address.slice(1).includes("[") &&
      !address.slice(close + 1).includes("]")
    );
  }
  const colons = address.split(":").length - 1;
  return colons === 1 && !address.includes("[") && !address.includes("]");
}

/** Go `net.JoinHostPort`: hosts containing `:` are bracketed. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
