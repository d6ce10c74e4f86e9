/** IP and CIDR syntax checks matching Go's `net` / `net/netip` parsers used by Talos validation. */

/** Go `net.ParseIP`: dotted IPv4 (no leading zeros) or IPv6 (no zone). Returns the byte length or 0. */
export function ipFamilyLength(s: string): 4 | 16 | 0 {
  if (isIPv4(s)) return 4;
  if (isIPv6(s)) return 16;
  return 0;
}

export function isIP(s: string): boolean {
  return ipFamilyLength(s) !== 0;
}

function isIPv4(s: string): boolean {
  const parts = s.split(".");
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

function isIPv6(s: string): boolean {
  if (!s.includes(":") || s.includes("%")) return false;
  let groups = s;
  let extra = 0;
  const lastColon = s.lastIndexOf(":");
  const tail = s.slice(lastColon + 1);
  if (tail.includes(".")) {
    if (!isIPv4(tail)) return false;
    groups = `${s.slice(0, lastColon + 1)}0`; // the embedded IPv4 takes two groups
    extra = 1;
  }
  const double = groups.split("::");
  if (double.length > 2) return false;
  const hex = /^[0-9a-fA-F]{1,4}$/;
  const count = (part: string): number | undefined => {
    if (part === "") return 0;
    const gs = part.split(":");
    return gs.every((g) => hex.test(g)) ? gs.length : undefined;
  };
  if (double.length === 2) {
    const a = count(double[0] ?? "");
    const b = count(double[1] ?? "");
    if (a === undefined || b === undefined) return false;
    return a + b + extra < 8;
  }
  const n = count(groups);
  return n !== undefined && n + extra === 8;
}

/** Go `net.ParseCIDR`: `ip/bits` with bits within the family's length. */
export function isCIDR(s: string): boolean {
  const slash = s.indexOf("/");
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  const len = ipFamilyLength(ip);
  if (len === 0 || !/^[0-9]{1,3}$/.test(bits)) return false;
  return Number(bits) <= len * 8;
}

/** Go `netip.ParsePrefix`: like {@link isCIDR} but the bit count has no leading zeros. */
export function isPrefix(s: string): boolean {
  const bits = s.slice(s.indexOf("/") + 1);
  return isCIDR(s) && /^(0|[1-9][0-9]*)$/.test(bits);
}

/** `siderolabs/net.ParseSubnetOrAddress`: a prefix, or a bare address taken as a single-host prefix. */
export function isSubnetOrAddress(s: string): boolean {
  return s.includes("/") ? isPrefix(s) : isIP(s);
}

/** Talos `validateIPOrCIDR`: CIDR when it has a slash, else a plain IP. */
export function isIPOrCIDR(s: string): boolean {
  return s.includes("/") ? isCIDR(s) : isIP(s);
}

/** `siderolabs/net.AddressContainsPort`: best-effort `host:port` detection. */
export function addressContainsPort(addr: string): boolean {
  if (!addr.includes(":")) return false;
  const pieces = addr.split(":");
  if (isIP(addr.replace(/^\[|\]$/g, ""))) return false;
  const trimmed = addr.slice(0, addr.length - (pieces[pieces.length - 1] ?? "").length - 1);
  if (isIP(trimmed.replace(/^\[|\]$/g, ""))) return true;
  return pieces.length <= 2;
}

/** Go `net.SplitHostPort` success check (`host:port`, IPv6 in brackets). */
export function splitsHostPort(s: string): string | undefined {
  if (s.startsWith("[")) {
    const close = s.indexOf("]");
    if (close < 0) return `address ${s}: missing ']' in address`;
    if (s[close + 1] !== ":") return `address ${s}: missing port in address`;
    return s.slice(close + 2).includes(":") ? `address ${s}: too many colons in address` : undefined;
  }
  const colons = (s.match(/:/g) ?? []).length;
  if (colons === 0) return `address ${s}: missing port in address`;
  if (colons > 1) return `address ${s}: too many colons in address`;
  return undefined;
}
