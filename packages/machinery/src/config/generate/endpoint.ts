import { DEFAULT_CONTROL_PLANE_PORT } from "../../constants/index.ts";

/**
 * Checks the `gen config` cluster endpoint argument the way talosctl does: it must be an `https://` URL
 * with a host. A bare `host` or `host:port` is refused with a suggestion of the fixed URL.
 * Returns the parsed URL; throws an Error whose message says what was expected.
 */
export function validateClusterEndpoint(endpoint: string): URL {
  const trimmed = endpoint.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  if (!hasScheme) {
    const hostPort = trimmed.replace(/\/.*$/, "");
    const hasPort = /:\d+$/.test(hostPort) && !/^[^[]*:.*:/.test(hostPort);
    const suggestion = `https://${hasPort ? hostPort : `${hostPort}:${DEFAULT_CONTROL_PLANE_PORT}`}`;
    throw new Error(
      `${hasPort ? "no scheme" : "no scheme and port"} specified for the cluster endpoint URL ${JSON.stringify(endpoint)}\ntry: ${JSON.stringify(suggestion)}`,
    );
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(
      `failed to parse the cluster endpoint URL ${JSON.stringify(endpoint)}: expected https://<host>:<port>`,
    );
  }
  if (url.protocol !== "https:") {
    const fixed = `https://${url.host}${url.port === "" ? `:${DEFAULT_CONTROL_PLANE_PORT}` : ""}`;
    throw new Error(`the control plane endpoint URL should have scheme https://\ntry: ${JSON.stringify(fixed)}`);
  }
  if (url.hostname === "") {
    throw new Error(`the cluster endpoint URL ${JSON.stringify(endpoint)} has no host: expected https://<host>:<port>`);
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw new Error(
      `the cluster endpoint URL ${JSON.stringify(endpoint)} must not have credentials, a query or a fragment`,
    );
  }
  return url;
}

/** The endpoint's host without brackets (IPv6) or port, as used for the API server certificate SANs. */
export function endpointHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}
