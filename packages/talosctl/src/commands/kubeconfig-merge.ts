// Merging a kubeconfig into an existing one the way `talosctl kubeconfig` does (Talos's
// internal/pkg/kubeconfig Merger over client-go's clientcmd): clusters, users and contexts are added by
// name; a name already taken by a different entry is either overwritten or renamed `<name>-1`, `-2`, ...;
// the users and contexts of a renamed cluster follow its new name; the new context becomes current. The
// file is written back as clientcmd writes it: keys sorted, lists sorted by name.
import { parse, stringify } from "yaml";
import { CliError } from "../cli/errors.ts";
import { goQuote } from "../output/go-format.ts";

/** The part of a kubeconfig a conflict is about (Talos's ConfigComponent names). */
export type KubeconfigComponent = "cluster" | "auth" | "context";

export type ConflictDecision = "overwrite" | "rename";

export interface KubeconfigMergeOptions {
  /** `--force-context-name`: the merged context's name. */
  readonly forceContextName?: string;
  /** Make the merged context the current one. */
  readonly activateContext: boolean;
  /** Decides what to do with a name that is taken by a different entry. */
  readonly onConflict: (component: KubeconfigComponent, name: string) => Promise<ConflictDecision>;
}

export interface MergeResult {
  /** The merged file. */
  readonly text: string;
  /** `renamed cluster "a" -> "a-1"` lines, in Talos's wording. */
  readonly messages: string[];
}

type Obj = Record<string, unknown>;

interface KubeconfigDoc {
  readonly rest: Obj;
  readonly clusters: Map<string, unknown>;
  readonly users: Map<string, unknown>;
  readonly contexts: Map<string, Obj>;
  currentContext: string;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function namedList(doc: Obj, key: string, inner: string, source: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const list = doc[key];
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new CliError(`${source}: ${key}: expected a list`);
  for (const item of list) {
    if (!isObj(item) || typeof item["name"] !== "string") throw new CliError(`${source}: ${key}: entry without a name`);
    out.set(item["name"], item[inner] ?? {});
  }
  return out;
}

/** Parses a kubeconfig (an empty text is an empty config). */
export function parseKubeconfig(text: string, source: string): KubeconfigDoc {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new CliError(`error loading config file ${goQuote(source)}: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isObj(doc)) throw new CliError(`error loading config file ${goQuote(source)}: not a kubeconfig`);
  const contexts = new Map<string, Obj>();
  for (const [name, ctx] of namedList(doc, "contexts", "context", source)) contexts.set(name, isObj(ctx) ? ctx : {});
  const rest: Obj = {};
  for (const [k, v] of Object.entries(doc)) {
    if (!["clusters", "users", "contexts", "current-context"].includes(k)) rest[k] = v;
  }
  return {
    rest,
    clusters: namedList(doc, "clusters", "cluster", source),
    users: namedList(doc, "users", "user", source),
    contexts,
    currentContext: typeof doc["current-context"] === "string" ? doc["current-context"] : "",
  };
}

/** A value with empty fields dropped and keys sorted: what two typed clientcmd entries compare equal by. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(canonical);
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical(v[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (v === null || v === false || v === "" || v === 0) return undefined;
  return v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** `name`, else `name-1`, `name-2`, ... whichever is free. */
function rename(taken: Map<string, unknown>, name: string): string {
  let candidate = name;
  for (let i = 1; taken.has(candidate); i++) candidate = `${name}-${i}`;
  return candidate;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

function namedEntries(map: Map<string, unknown>, inner: string): Obj[] {
  return [...map.keys()].sort().map((name) => ({ name, [inner]: map.get(name) }));
}

/** Serializes a kubeconfig as clientcmd.WriteToFile does (sorted keys, lists sorted by name). */
export function serializeKubeconfig(doc: KubeconfigDoc): string {
  const out: Obj = {
    ...doc.rest,
    apiVersion: doc.rest["apiVersion"] ?? "v1",
    kind: doc.rest["kind"] ?? "Config",
    preferences: isObj(doc.rest["preferences"]) ? doc.rest["preferences"] : {},
    clusters: namedEntries(doc.clusters, "cluster"),
    contexts: namedEntries(doc.contexts, "context"),
    "current-context": doc.currentContext,
    users: namedEntries(doc.users, "user"),
  };
  return stringify(sortKeys(out), { indentSeq: false, lineWidth: 0 });
}

function replaceAll(name: string, mapping: Map<string, string>): string {
  let out = name;
  for (const [from, to] of mapping) if (from !== "") out = out.replaceAll(from, to);
  return out;
}

/**
 * Merges `incoming` into `existing` (both kubeconfig texts) with Talos's rules.
 *
 * @param source the existing file's path, for error messages
 */
export async function mergeKubeconfig(
  existing: string,
  incoming: string,
  source: string,
  opts: KubeconfigMergeOptions,
): Promise<MergeResult> {
  const merger = parseKubeconfig(existing, source);
  const config = parseKubeconfig(incoming, "kubeconfig");
  const messages: string[] = [];

  const mappedClusters = new Map<string, string>();
  for (const [name, cluster] of config.clusters) {
    let merged = name;
    if (merger.clusters.has(merged) && !deepEqual(merger.clusters.get(merged), cluster)) {
      if ((await opts.onConflict("cluster", name)) === "rename") merged = rename(merger.clusters, merged);
    }
    mappedClusters.set(name, merged);
  }

  const mappedUsers = new Map<string, string>();
  for (const [name, user] of config.users) {
    // Users are named after their cluster (`admin@<cluster>`): follow the cluster's renaming.
    let merged = replaceAll(name, mappedClusters);
    if (merger.users.has(merged) && !deepEqual(merger.users.get(merged), user)) {
      if ((await opts.onConflict("auth", name)) === "rename") merged = rename(merger.users, merged);
    }
    mappedUsers.set(name, merged);
  }

  const mappedContexts = new Map<string, string>();
  for (const name of config.contexts.keys()) {
    let merged = replaceAll(name, mappedUsers);
    if (opts.forceContextName !== undefined && opts.forceContextName !== "") merged = opts.forceContextName;
    // As in Talos, a context name only conflicts with a cluster of that name (the Merger looks it up
    // among the clusters); otherwise an existing context of that name is replaced.
    if (merger.clusters.has(merged)) {
      if ((await opts.onConflict("cluster", name)) === "rename") merged = rename(merger.clusters, merged);
    }
    mappedContexts.set(name, merged);
  }

  for (const [name, cluster] of config.clusters) {
    const newName = mappedClusters.get(name) ?? name;
    if (newName !== name) messages.push(`renamed cluster ${goQuote(name)} -> ${goQuote(newName)}`);
    merger.clusters.set(newName, cluster);
  }
  for (const [name, user] of config.users) {
    const newName = mappedUsers.get(name) ?? name;
    if (newName !== name) messages.push(`renamed auth info ${goQuote(name)} -> ${goQuote(newName)}`);
    merger.users.set(newName, user);
  }
  for (const [name, ctx] of config.contexts) {
    const newName = mappedContexts.get(name) ?? name;
    if (newName !== name) messages.push(`renamed context ${goQuote(name)} -> ${goQuote(newName)}`);
    const copy: Obj = { ...ctx };
    copy["user"] = mappedUsers.get(String(ctx["user"] ?? "")) ?? "";
    copy["cluster"] = mappedClusters.get(String(ctx["cluster"] ?? "")) ?? "";
    merger.contexts.set(newName, copy);
    if (opts.activateContext) merger.currentContext = newName;
  }
  return { text: serializeKubeconfig(merger), messages };
}
