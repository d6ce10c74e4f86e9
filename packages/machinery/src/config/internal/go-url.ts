/**
 * The parts of Go's `net/url.Parse` that decide whether Talos accepts a URL field, and the fields its
 * validators look at. Go is lenient (a bare word is a valid relative URL); these are the cases it rejects.
 */

export interface GoUrl {
  readonly scheme: string;
  /** `host[:port]` as written (IPv6 in brackets). */
  readonly host: string;
  /** Host without port and brackets. */
  readonly hostname: string;
  readonly port: string;
  readonly path: string;
  readonly rawQuery: string;
}

export type GoUrlResult = { readonly ok: true; readonly url: GoUrl } | { readonly ok: false; readonly error: string };

/** Parses like Go `url.Parse`; errors read like Go's (`parse "x": missing protocol scheme`). */
export function parseGoUrl(raw: string): GoUrlResult {
  const fail = (why: string): GoUrlResult => ({ ok: false, error: `parse ${JSON.stringify(raw)}: ${why}` });
  if (/[\u0000-\u001f\u007f]/.test(raw)) return fail("net/url: invalid control character in URL");
  const hashAt = raw.indexOf("#");
  const beforeFragment = hashAt >= 0 ? raw.slice(0, hashAt) : raw;
  if (hashAt >= 0 && !validEscapes(raw.slice(hashAt + 1))) return fail(badEscape(raw.slice(hashAt + 1)));
  if (beforeFragment === "*") return { ok: true, url: emptyUrl({ path: "*" }) };

  let scheme = "";
  let rest = beforeFragment;
  for (let i = 0; i < beforeFragment.length; i++) {
    const c = beforeFragment[i] ?? "";
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ":") {
      if (i === 0) return fail("missing protocol scheme");
      scheme = beforeFragment.slice(0, i).toLowerCase();
      rest = beforeFragment.slice(i + 1);
    }
    break;
  }

  let rawQuery = "";
  const q = rest.indexOf("?");
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith("/")) {
    if (scheme !== "") return { ok: true, url: emptyUrl({ scheme, rawQuery }) }; // opaque, e.g. mailto:x
    const firstSegment = rest.split("/")[0] ?? "";
    if (firstSegment.includes(":")) return fail("first path segment in URL cannot contain colon");
  }
  let host = "";
  if (scheme !== "" && rest.startsWith("//")) {
    const authEnd = rest.indexOf("/", 2);
    const authority = authEnd >= 0 ? rest.slice(2, authEnd) : rest.slice(2);
    rest = authEnd >= 0 ? rest.slice(authEnd) : "";
    const at = authority.lastIndexOf("@");
    const userinfo = at >= 0 ? authority.slice(0, at) : "";
    host = at >= 0 ? authority.slice(at + 1) : authority;
    if (userinfo !== "" && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo))
      return fail("net/url: invalid userinfo");
    const hostError = checkHost(host);
    if (hostError !== undefined) return fail(hostError);
  }
  if (!validEscapes(rest)) return fail(badEscape(rest));
  const { hostname, port } = splitHostPort(host);
  return { ok: true, url: { scheme, host, hostname, port, path: decodeLoose(rest), rawQuery } };
}

function emptyUrl(parts: Partial<GoUrl>): GoUrl {
  return { scheme: "", host: "", hostname: "", port: "", path: "", rawQuery: "", ...parts };
}

function checkHost(host: string): string | undefined {
  let name = host;
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    if (close < 0) return "missing ']' in host";
    const after = host.slice(close + 1);
    if (after !== "" && !/^:[0-9]*$/.test(after)) return `invalid port ${JSON.stringify(after)} after host`;
    return undefined;
  }
  const colon = host.lastIndexOf(":");
  if (colon >= 0) {
    const port = host.slice(colon);
    if (!/^:[0-9]*$/.test(port)) return `invalid port ${JSON.stringify(port)} after host`;
    name = host.slice(0, colon);
  }
  if (!validEscapes(name)) return badEscape(name);
  const bad = /[^A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"%\u0080-\uffff]/.exec(name);
  if (bad !== null) return `invalid character ${JSON.stringify(bad[0])} in host name`;
  return undefined;
}

function splitHostPort(host: string): { hostname: string; port: string } {
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    const after = host.slice(close + 1);
    return { hostname: host.slice(1, close), port: after.startsWith(":") ? after.slice(1) : "" };
  }
  const colon = host.lastIndexOf(":");
  if (colon < 0) return { hostname: host, port: "" };
  return { hostname: host.slice(0, colon), port: host.slice(colon + 1) };
}

function validEscapes(s: string): boolean {
  return !/%(?![0-9a-fA-F]{2})/.test(s);
}

function badEscape(s: string): string {
  const m = /%.{0,2}/.exec(s.slice(s.search(/%(?![0-9a-fA-F]{2})/)));
  return `invalid URL escape ${JSON.stringify(m?.[0] ?? "%")}`;
}

function decodeLoose(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Talos's endpoint check (`siderolabs/net.ValidateEndpointURI`): parseable, IPv6 hosts in brackets, a
 * hostname, and a numeric port in range if one is given. Returns the error text or `undefined`.
 */
export function validateEndpointUri(ep: string): string | undefined {
  const r = parseGoUrl(ep);
  if (!r.ok) return r.error;
  const { host, hostname, port } = r.url;
  if ((host.match(/:/g) ?? []).length > 2 && (!host.includes("[") || !host.includes("]"))) {
    return "IPv6 addresses MUST be enclosed by square brackets";
  }
  if (hostname === "") return "hostname must not be blank";
  if (port !== "") {
    if (!/^[0-9]+$/.test(port)) return "port number must be numeric";
    const n = Number(port);
    if (n < 1 || n > 65535) return "port number must be between 1 and 65535";
  }
  return undefined;
}
