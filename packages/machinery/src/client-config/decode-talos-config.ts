/**
 * Strict decoding of a talosconfig. Scalars are read as Go's yaml.v3 reads them into string fields (any
 * scalar's text, null as empty); unknown keys, duplicate keys and wrong shapes are errors naming the field
 * path and line. The legacy `target` field is appended to `endpoints`, as Talos does on load.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type Scalar } from "yaml";
import { ConfigError, type ConfigIssue, type FieldPath } from "../config/errors.ts";
import { resolvePlainScalar } from "../config/internal/go-scalar.ts";
import type { BasicAuth, SideroV1Auth, TalosAuth, TalosConfig, TalosContext } from "./talos-config.ts";

const CONFIG_FIELDS = ["context", "contexts"] as const;
const CONTEXT_FIELDS = ["target", "endpoints", "nodes", "ca", "crt", "key", "auth", "cluster"] as const;
const AUTH_FIELDS = ["basic", "siderov1"] as const;
const BASIC_FIELDS = ["username", "password"] as const;
const SIDEROV1_FIELDS = ["identity"] as const;

/** Summary line of decode errors: `<source>: invalid talosconfig`. */
function summary(source: string | undefined): string {
  return source !== undefined ? `${source}: invalid talosconfig` : "invalid talosconfig";
}

/** An issue and the offset of the node it is about, so issues can be listed in file order. */
interface PlacedIssue extends ConfigIssue {
  readonly at: number;
}

interface Ctx {
  readonly lines: LineCounter;
  readonly issues: PlacedIssue[];
  readonly resolve: (n: Node | null | undefined) => Node | null;
}

/**
 * Decodes a talosconfig from YAML text. An empty file (or a lone `null`) is an empty config.
 *
 * @param source names the file in error messages.
 * @throws {ConfigError} listing every problem, each with its field path and line.
 */
export function decodeTalosConfig(text: string, source?: string): TalosConfig {
  const lines = new LineCounter();
  const docs = Array.from(parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false }));
  const syntax = docs.flatMap((d) =>
    d.errors.map((e): ConfigIssue => {
      const at = e.linePos?.[0];
      const reason = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
      return {
        path: [],
        message: `YAML syntax error: ${at !== undefined ? `line ${at.line}:${at.col}: ` : ""}${reason}`,
      };
    }),
  );
  if (syntax.length > 0) throw new ConfigError(syntax, source, summary(source));
  if (docs.length > 1) {
    throw new ConfigError(
      [{ path: [], message: `expected a single YAML document, found ${docs.length}` }],
      source,
      summary(source),
    );
  }
  const doc = docs[0];
  if (doc === undefined) return { context: "", contexts: {} };
  const ctx: Ctx = {
    lines,
    issues: [],
    resolve: (n) => {
      let cur: Node | null | undefined = n;
      for (let hops = 0; isAlias(cur) && hops < 100; hops++) cur = cur.resolve(doc) ?? null;
      return (cur as Node | null | undefined) ?? null;
    },
  };
  const root = ctx.resolve(doc.contents as Node | null);
  if (isNull(root)) return { context: "", contexts: {} };
  const fields = readMapping(root, CONFIG_FIELDS, [], ctx);
  let config: TalosConfig = { context: "", contexts: {} };
  if (fields !== undefined) {
    const contexts: [string, TalosContext][] = [];
    const ctxNode = fields.get("contexts");
    if (ctxNode !== undefined && !isNull(ctxNode)) {
      if (!isMap(ctxNode)) {
        expected(ctx, ["contexts"], ctxNode, "a mapping of context names to contexts");
      } else {
        for (const [name, node] of mapEntries(ctxNode, ["contexts"], ctx)) {
          const decoded = decodeContext(node, ["contexts", name], ctx);
          if (decoded !== undefined) contexts.push([name, decoded]);
        }
      }
    }
    config = {
      context: readString(fields.get("context"), ["context"], ctx) ?? "",
      contexts: Object.fromEntries(contexts),
    };
  }
  if (ctx.issues.length > 0) {
    const sorted = [...ctx.issues].sort((a, b) => a.at - b.at).map(({ path, message }) => ({ path, message }));
    throw new ConfigError(sorted, source, summary(source));
  }
  return config;
}

function decodeContext(node: Node | null, path: FieldPath, ctx: Ctx): TalosContext | undefined {
  if (isNull(node)) return { endpoints: [] };
  const fields = readMapping(node, CONTEXT_FIELDS, path, ctx);
  if (fields === undefined) return undefined;
  const endpoints = readStringList(fields.get("endpoints"), [...path, "endpoints"], ctx) ?? [];
  const target = readString(fields.get("target"), [...path, "target"], ctx);
  const nodes = readStringList(fields.get("nodes"), [...path, "nodes"], ctx);
  const out: { -readonly [K in keyof TalosContext]: TalosContext[K] } = {
    endpoints: target !== undefined && target !== "" ? [...endpoints, target] : endpoints,
  };
  if (nodes !== undefined && nodes.length > 0) out.nodes = nodes;
  for (const key of ["ca", "crt", "key"] as const) {
    const v = readString(fields.get(key), [...path, key], ctx);
    if (v !== undefined && v !== "") out[key] = v;
  }
  const auth = decodeAuth(fields.get("auth"), [...path, "auth"], ctx);
  if (auth !== undefined && (auth.basic !== undefined || auth.siderov1 !== undefined)) out.auth = auth;
  const cluster = readString(fields.get("cluster"), [...path, "cluster"], ctx);
  if (cluster !== undefined && cluster !== "") out.cluster = cluster;
  return out;
}

function decodeAuth(node: Node | null | undefined, path: FieldPath, ctx: Ctx): TalosAuth | undefined {
  if (node === undefined || isNull(node)) return undefined;
  const fields = readMapping(node, AUTH_FIELDS, path, ctx);
  if (fields === undefined) return undefined;
  const out: { basic?: BasicAuth; siderov1?: SideroV1Auth } = {};
  const basic = fields.get("basic");
  if (basic !== undefined && !isNull(basic)) {
    const b = readMapping(basic, BASIC_FIELDS, [...path, "basic"], ctx);
    if (b !== undefined) {
      out.basic = {
        username: readString(b.get("username"), [...path, "basic", "username"], ctx) ?? "",
        password: readString(b.get("password"), [...path, "basic", "password"], ctx) ?? "",
      };
    }
  }
  const sv1 = fields.get("siderov1");
  if (sv1 !== undefined && !isNull(sv1)) {
    const s = readMapping(sv1, SIDEROV1_FIELDS, [...path, "siderov1"], ctx);
    if (s !== undefined)
      out.siderov1 = { identity: readString(s.get("identity"), [...path, "siderov1", "identity"], ctx) ?? "" };
  }
  return out;
}

/** The known fields of a mapping node; unknown and duplicate keys are reported. */
function readMapping(
  node: Node | null,
  known: readonly string[],
  path: FieldPath,
  ctx: Ctx,
): Map<string, Node | null> | undefined {
  if (!isMap(node)) {
    expected(ctx, path, node, "a mapping");
    return undefined;
  }
  const out = new Map<string, Node | null>();
  for (const [key, value, keyNode] of mapEntriesWithKeys(node, path, ctx)) {
    if (!known.includes(key)) {
      ctx.issues.push({
        path: [...path, key],
        message: `unknown field ${JSON.stringify(key)}${lineOf(keyNode, ctx)} (expected one of: ${known.join(", ")})`,
        at: offsetOf(keyNode),
      });
      continue;
    }
    out.set(key, value);
  }
  return out;
}

function mapEntries(node: Node, path: FieldPath, ctx: Ctx): [string, Node | null][] {
  return mapEntriesWithKeys(node, path, ctx).map(([k, v]) => [k, v]);
}

/** The entries of a mapping node with string keys; non-scalar and duplicate keys are reported and skipped. */
function mapEntriesWithKeys(node: Node, path: FieldPath, ctx: Ctx): [string, Node | null, Node][] {
  if (!isMap(node)) return [];
  const out: [string, Node | null, Node][] = [];
  const seen = new Map<string, Node>();
  for (const pair of node.items) {
    const keyNode = ctx.resolve(pair.key as Node | null);
    if (!isScalar(keyNode)) {
      ctx.issues.push({ path, message: `mapping keys must be strings${lineOf(keyNode, ctx)}`, at: offsetOf(keyNode) });
      continue;
    }
    const key = scalarText(keyNode) ?? "";
    const first = seen.get(key);
    if (first !== undefined) {
      const firstLine = ctx.lines.linePos(first.range?.[0] ?? 0).line;
      ctx.issues.push({
        path: [...path, key],
        message: `duplicate key ${JSON.stringify(key)}${lineOf(keyNode, ctx)}, first defined at line ${firstLine}`,
        at: offsetOf(keyNode),
      });
      continue;
    }
    seen.set(key, keyNode);
    out.push([key, ctx.resolve(pair.value as Node | null), keyNode]);
  }
  return out;
}

/** A string field: any scalar's text (yaml.v3 reads `123` or `true` into a string as written), null as absent. */
function readString(node: Node | null | undefined, path: FieldPath, ctx: Ctx): string | undefined {
  if (node === undefined || isNull(node)) return undefined;
  if (!isScalar(node)) {
    expected(ctx, path, node, "a string");
    return undefined;
  }
  return scalarText(node);
}

function readStringList(node: Node | null | undefined, path: FieldPath, ctx: Ctx): string[] | undefined {
  if (node === undefined || isNull(node)) return undefined;
  if (!isSeq(node)) {
    expected(ctx, path, node, "a list of strings");
    return undefined;
  }
  const out: string[] = [];
  node.items.forEach((item, i) => {
    const n = ctx.resolve(item as Node | null);
    if (isNull(n)) {
      out.push("");
      return;
    }
    const s = readString(n, [...path, i], ctx);
    if (s !== undefined) out.push(s);
  });
  return out;
}

/** The text of a scalar as written (plain scalars keep their spelling: `0x10` stays `0x10`). */
function scalarText(node: Scalar): string | undefined {
  if (node.source !== undefined) return node.source;
  const v = node.value;
  return v === null || v === undefined ? undefined : String(v);
}

function isNull(node: Node | null): boolean {
  if (node === null) return true;
  if (!isScalar(node)) return false;
  if (node.type !== undefined && node.type !== "PLAIN") return false;
  const tag = node.tag;
  if (tag === "tag:yaml.org,2002:str" || tag === "!!str") return false;
  const src = node.source ?? (node.value === null ? "" : String(node.value));
  return resolvePlainScalar(src).type === "null";
}

function expected(ctx: Ctx, path: FieldPath, node: Node | null, what: string): void {
  ctx.issues.push({ path, message: `expected ${what}, got ${describe(node)}${lineOf(node, ctx)}`, at: offsetOf(node) });
}

function describe(node: Node | null): string {
  if (node === null) return "null";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    const s = scalarText(node) ?? "";
    return `${JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s)}`;
  }
  return "an unsupported YAML node";
}

function offsetOf(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}

function lineOf(node: Node | null | undefined, ctx: Ctx): string {
  const offset = node?.range?.[0];
  if (offset === undefined) return "";
  const { line, col } = ctx.lines.linePos(offset);
  return ` (line ${line}:${col})`;
}
