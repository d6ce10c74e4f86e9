/**
 * The client configuration file of talosctl ("talosconfig"): named contexts, each holding the endpoints to
 * dial, the default target nodes and the mTLS credentials. Plain immutable data; the functions beside it
 * decode, encode, merge and query it.
 */

/** HTTP basic credentials (used by proxies in front of the Talos API). */
export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

/** SideroV1 request-signing identity (Omni). */
export interface SideroV1Auth {
  readonly identity: string;
}

/** Alternative authentication methods of a context; both are optional. */
export interface TalosAuth {
  readonly basic?: BasicAuth;
  readonly siderov1?: SideroV1Auth;
}

/** One named set of connection settings and credentials. */
export interface TalosContext {
  /** Addresses of apid (`host`, `host:port` or `https://host[:port]`). */
  readonly endpoints: readonly string[];
  /** Default target nodes, used when `--nodes` is not given. */
  readonly nodes?: readonly string[];
  /** Base64 of the PEM OS (Talos API) CA certificate. */
  readonly ca?: string;
  /** Base64 of the PEM client certificate. */
  readonly crt?: string;
  /** Base64 of the PEM client private key. */
  readonly key?: string;
  readonly auth?: TalosAuth;
  /** Cluster name sent as `context` metadata when a proxy endpoint serves several clusters. */
  readonly cluster?: string;
}

/** A whole talosconfig: the current context name and the contexts by name. */
export interface TalosConfig {
  /** Name of the current context; absent or empty when none is selected. */
  readonly context?: string;
  readonly contexts: Readonly<Record<string, TalosContext>>;
}

/** Credentials as PEM text (not base64), the way `gen config` has them at hand. */
export interface NewTalosConfigOptions {
  readonly endpoints: readonly string[];
  /** PEM of the OS CA certificate. */
  readonly ca: string | Uint8Array;
  /** PEM of the client certificate. */
  readonly crt: string | Uint8Array;
  /** PEM of the client private key. */
  readonly key: string | Uint8Array;
  readonly nodes?: readonly string[];
}

/** A talosconfig with no contexts, as written for a missing file. */
export function emptyTalosConfig(): TalosConfig {
  return { context: "", contexts: {} };
}

/**
 * A talosconfig with a single context, selected as current, holding the given endpoints and credentials
 * (stored base64-encoded, as Talos does). Used by `talosctl gen config`.
 */
export function newTalosConfig(contextName: string, opts: NewTalosConfigOptions): TalosConfig {
  const context: TalosContext = {
    endpoints: [...opts.endpoints],
    ...(opts.nodes !== undefined && opts.nodes.length > 0 ? { nodes: [...opts.nodes] } : {}),
    ca: toBase64(opts.ca),
    crt: toBase64(opts.crt),
    key: toBase64(opts.key),
  };
  return { context: contextName, contexts: withContext({}, contextName, context) };
}

/** Standard base64 of text (UTF-8) or bytes. */
export function toBase64(data: string | Uint8Array): string {
  return (typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data)).toString("base64");
}

/** The names of the contexts, sorted bytewise as Go's `sort.Strings` does. */
export function contextNames(config: TalosConfig): string[] {
  return Object.keys(config.contexts).sort(compareBytewise);
}

/** Go string ordering (by UTF-8 bytes, which for valid strings equals code point order). */
export function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * A copy of a contexts record with `name` set to `context` (added or replaced). Safe for any name,
 * including `__proto__`.
 */
export function withContext(
  contexts: Readonly<Record<string, TalosContext>>,
  name: string,
  context: TalosContext,
): Record<string, TalosContext> {
  const entries = Object.entries(contexts).filter(([n]) => n !== name);
  const replacedAt = Object.keys(contexts).indexOf(name);
  if (replacedAt >= 0) entries.splice(replacedAt, 0, [name, context]);
  else entries.push([name, context]);
  return Object.fromEntries(entries);
}

/** A copy of a contexts record without the given names. */
export function withoutContexts(
  contexts: Readonly<Record<string, TalosContext>>,
  names: Iterable<string>,
): Record<string, TalosContext> {
  const drop = new Set(names);
  return Object.fromEntries(Object.entries(contexts).filter(([n]) => !drop.has(n)));
}

/** Whether the config defines a context of that name (own property, never inherited). */
export function hasContext(config: TalosConfig, name: string): boolean {
  return Object.hasOwn(config.contexts, name);
}
