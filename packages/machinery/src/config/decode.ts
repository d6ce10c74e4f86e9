/**
 * Strict decoding of machine configs: a YAML stream of v1alpha1 and typed documents, checked against the
 * schemas the way Talos's Go decoder checks them (unknown keys, wrong types and duplicate keys are errors),
 * with scalars read as Go's yaml.v3 reads them. Every problem is collected into one {@link ConfigError}.
 */
import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type Scalar,
  type YAMLMap,
} from "yaml";
import { type ConfigDocument, documentKey, documentLabel, type MachineConfig, V1ALPHA1_KIND } from "./document.ts";
import { ConfigError, type ConfigIssue, type FieldPath } from "./errors.ts";
import { parseByteSize } from "./internal/byte-size.ts";
import { isPrefix } from "./internal/go-net.ts";
import { type GoScalar, goBoolFromString, isGoDuration, resolvePlainScalar } from "./internal/go-scalar.ts";
import { parseGoUrl } from "./internal/go-url.ts";
import { rememberSource } from "./internal/source-info.ts";
import { type DocumentKind, documentKinds, findKind } from "./kinds.ts";
import type { ObjectSchema, Schema } from "./schema/dsl.ts";

/** Top-level keys that mark the legacy v1alpha1 document. */
const V1ALPHA1_KEYS = ["version", "machine", "cluster", "debug", "persist"];

/**
 * Decodes a machine config (or a strategic-merge patch: decoding never requires any field) from YAML.
 * Empty documents are skipped. `source` names the file or flag in error messages.
 *
 * @throws {ConfigError} listing every syntax, structure and type problem found.
 */
export function decodeConfig(text: string, source?: string): MachineConfig {
  const lineCounter = new LineCounter();
  const parsed = Array.from(parseAllDocuments(text, { lineCounter, uniqueKeys: false }));
  const syntax = parsed.flatMap((doc, i) =>
    doc.errors.map((e): ConfigIssue => {
      const at = e.linePos?.[0];
      const reason = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
      const where = at !== undefined ? `line ${at.line}:${at.col}: ` : "";
      return { path: [], message: `YAML syntax error: ${where}${reason}`, document: `document ${i + 1}` };
    }),
  );
  if (syntax.length > 0) throw new ConfigError(syntax, source);

  const segments = documentSegments(text, parsed);
  const issues: ConfigIssue[] = [];
  const documents: ConfigDocument[] = [];
  const seen = new Map<string, number>();
  for (const seg of segments) {
    const { doc, index } = seg;
    const label = `document ${index + 1}`;
    const root = doc.contents;
    if (!isMap(root)) {
      issues.push({ path: [], message: `expected a YAML mapping${lineOf(root, lineCounter)}`, document: label });
      continue;
    }
    const kind = classify(root, doc, lineCounter, label, issues);
    if (kind === undefined) continue;
    const before = issues.length;
    const ctx: DecodeContext = { doc, lineCounter, issues, document: kind.kind };
    const value = decodeObject(root, kind.schema, [], ctx);
    const name = kind.named ? (typeof value["name"] === "string" ? value["name"] : "") : undefined;
    const configDoc: ConfigDocument = { kind: kind.kind, apiVersion: kind.apiVersion, name, value, node: doc };
    const relabelled = issues.splice(before).map((i) => ({ ...i, document: documentLabel(configDoc) }));
    issues.push(...relabelled);

    const key = documentKey(configDoc);
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      const what =
        kind.kind === V1ALPHA1_KIND
          ? "only one v1alpha1 document is allowed"
          : "documents must be unique by apiVersion/kind" + (kind.named ? "/name" : "");
      issues.push({
        path: [],
        message: `duplicate document ${key}${lineOf(root, lineCounter)} (first at line ${firstLine}): ${what}`,
        document: documentLabel(configDoc),
      });
      continue;
    }
    seen.set(key, lineCounter.linePos(root.range?.[0] ?? 0).line);
    rememberSource(doc, { text, start: seg.start, end: seg.end, decoded: structuredClone(value), lineCounter });
    documents.push(configDoc);
  }
  if (issues.length > 0) throw new ConfigError(issues, source);
  return { documents };
}

/**
 * Strictly checks a plain value (e.g. the result of a JSON patch, or one document of a patch) against a
 * document kind's schema, without requiring any field. Returns the value with Go's conversions applied.
 *
 * @param kind `v1alpha1` or a typed document kind such as `NetworkRuleConfig`.
 * @throws {ConfigError} on unknown kinds, unknown fields and wrong types.
 */
export function decodeDocumentValue(
  kind: string,
  value: unknown,
  opts: { source?: string; apiVersion?: string } = {},
): Record<string, unknown> {
  const found = kind === V1ALPHA1_KIND ? findKind(kind) : findKind(kind, opts.apiVersion ?? kindApiVersion(kind) ?? "");
  if (found === undefined) {
    throw new ConfigError([{ path: [], message: unknownKindMessage(kind, opts.apiVersion) }], opts.source);
  }
  const doc = new Document(value);
  const issues: ConfigIssue[] = [];
  const ctx: DecodeContext = { doc, lineCounter: undefined, issues, document: kind };
  const root = doc.contents;
  let decoded: Record<string, unknown> = {};
  if (root === null || (isScalar(root) && root.value === null)) decoded = {};
  else if (!isMap(root))
    issues.push({ path: [], message: `expected a mapping, got ${describe(root, ctx)}`, document: kind });
  else decoded = decodeObject(root, found.schema, [], ctx);
  if (issues.length > 0) throw new ConfigError(issues, opts.source);
  return decoded;
}

function kindApiVersion(kind: string): string | undefined {
  return documentKinds.find((k) => k.kind === kind)?.apiVersion;
}

function unknownKindMessage(kind: string, apiVersion: string | undefined): string {
  const known = documentKinds
    .filter((k) => k.kind !== V1ALPHA1_KIND)
    .map((k) => k.kind)
    .join(", ");
  return `unknown document kind ${JSON.stringify(kind)} with apiVersion ${JSON.stringify(apiVersion ?? "")} (known kinds: ${known})`;
}

interface Segment {
  readonly doc: Document;
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Splits the source into one slice per non-empty document, so that unedited documents can be written back
 * byte for byte. Empty documents (a stray `---`) are folded into a neighbour's slice.
 */
function documentSegments(text: string, docs: readonly Document[]): Segment[] {
  const bounds = docs.map((doc, i) => ({
    doc,
    index: i,
    start: i === 0 ? 0 : (doc.range?.[0] ?? text.length),
    empty:
      doc.contents === null ||
      (isScalar(doc.contents) &&
        resolvePlainScalar(String(doc.contents.source ?? "")).type === "null" &&
        doc.contents.type === "PLAIN"),
  }));
  const out: Segment[] = [];
  let pendingStart: number | undefined;
  for (const [i, b] of bounds.entries()) {
    const end = bounds[i + 1]?.start ?? text.length;
    if (b.empty) {
      const last = out[out.length - 1];
      if (last !== undefined) out[out.length - 1] = { ...last, end };
      else pendingStart ??= b.start;
      continue;
    }
    out.push({ doc: b.doc, index: b.index, start: pendingStart ?? b.start, end });
    pendingStart = undefined;
  }
  return out;
}

function classify(
  root: YAMLMap,
  doc: Document,
  lineCounter: LineCounter,
  label: string,
  issues: ConfigIssue[],
): DocumentKind | undefined {
  const keys = new Map<string, unknown>();
  for (const pair of root.items) {
    const k = resolveNode(pair.key as Node | null, doc);
    if (isScalar(k)) keys.set(String(k.source ?? k.value), resolveNode(pair.value as Node | null, doc));
  }
  const scalarText = (n: unknown): string | undefined => (isScalar(n) ? String(n.source ?? n.value ?? "") : undefined);
  const at = lineOf(root, lineCounter);
  if (keys.has("kind")) {
    const kind = scalarText(keys.get("kind")) ?? "";
    const apiVersion = scalarText(keys.get("apiVersion"));
    if (kind === "") {
      issues.push({ path: ["kind"], message: `missing kind${at}`, document: label });
      return undefined;
    }
    if (apiVersion === undefined || apiVersion === "") {
      issues.push({ path: ["apiVersion"], message: `missing apiVersion${at}`, document: label });
      return undefined;
    }
    const found = findKind(kind, apiVersion);
    if (found === undefined || found.kind === V1ALPHA1_KIND) {
      issues.push({ path: ["kind"], message: unknownKindMessage(kind, apiVersion) + at, document: label });
      return undefined;
    }
    return found;
  }
  if (V1ALPHA1_KEYS.some((k) => keys.has(k))) return findKind(V1ALPHA1_KIND);
  issues.push({
    path: [],
    message: keys.has("apiVersion")
      ? `missing kind${at}`
      : `not a machine config document${at}: expected "kind" and "apiVersion", or v1alpha1 keys (${V1ALPHA1_KEYS.join(", ")})`,
    document: label,
  });
  return undefined;
}

interface DecodeContext {
  readonly doc: Document;
  readonly lineCounter: LineCounter | undefined;
  readonly issues: ConfigIssue[];
  readonly document: string;
}

function fail(ctx: DecodeContext, path: FieldPath, node: Node | null | undefined, message: string): undefined {
  ctx.issues.push({ path, message: message + lineOf(node, ctx.lineCounter), document: ctx.document });
  return undefined;
}

function lineOf(node: Node | null | undefined, lineCounter: LineCounter | undefined): string {
  const offset = node?.range?.[0];
  if (lineCounter === undefined || offset === undefined) return "";
  const { line, col } = lineCounter.linePos(offset);
  return ` (line ${line}:${col})`;
}

function resolveNode(node: Node | null | undefined, doc: Document): Node | null {
  let n: Node | null | undefined = node;
  for (let hops = 0; isAlias(n) && hops < 100; hops++) n = n.resolve(doc) ?? null;
  return (n as Node | null | undefined) ?? null;
}

/** The Go reading of a scalar node: plain scalars by yaml.v3's rules, quoted and block scalars as strings. */
function goScalar(node: Scalar): GoScalar & { readonly raw: string } {
  if (node.source === undefined) {
    // Built from a JS value (decodeDocumentValue), not parsed.
    const v = node.value;
    if (v === null || v === undefined) return { type: "null", raw: "" };
    if (typeof v === "boolean") return { type: "bool", value: v, raw: String(v) };
    if (typeof v === "number") return { type: Number.isInteger(v) ? "int" : "float", value: v, raw: String(v) };
    if (typeof v === "bigint") return { type: "int", value: Number(v), raw: String(v) };
    return { type: "string", value: String(v), raw: String(v) };
  }
  const raw = node.source;
  const tag = node.tag;
  if (tag === "tag:yaml.org,2002:str" || tag === "!!str") return { type: "string", value: raw, raw };
  if (node.type !== undefined && node.type !== "PLAIN") return { type: "string", value: raw, raw };
  return { ...resolvePlainScalar(raw), raw };
}

function describe(node: Node | null, ctx: DecodeContext): string {
  const n = resolveNode(node, ctx.doc);
  if (n === null) return "null";
  if (isMap(n)) return "a mapping";
  if (isSeq(n)) return "a list";
  if (isScalar(n)) {
    const s = goScalar(n);
    switch (s.type) {
      case "null":
        return "null";
      case "bool":
        return `bool ${s.value}`;
      case "int":
        return `integer ${s.raw}`;
      case "float":
        return `number ${s.raw}`;
      case "string":
        return `string ${JSON.stringify(truncate(s.value))}`;
    }
  }
  return "an unsupported YAML node";
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function isNull(node: Node | null): boolean {
  return node === null || (isScalar(node) && goScalar(node).type === "null");
}

/** Decodes a mapping into an object of known fields. */
function decodeObject(
  node: YAMLMap,
  schema: ObjectSchema,
  path: FieldPath,
  ctx: DecodeContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Map<string, Node | null>();
  for (const pair of node.items) {
    const keyNode = resolveNode(pair.key as Node | null, ctx.doc);
    if (!isScalar(keyNode)) {
      fail(ctx, path, keyNode, "mapping keys must be strings");
      continue;
    }
    const key = goScalar(keyNode).raw;
    const fieldPath = [...path, key];
    const first = seen.get(key);
    if (first !== undefined) {
      fail(ctx, fieldPath, keyNode, `duplicate key ${JSON.stringify(key)}${firstAt(first, ctx)}`);
      continue;
    }
    seen.set(key, keyNode);
    const field = Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined;
    if (field === undefined) {
      fail(ctx, fieldPath, keyNode, `unknown field ${JSON.stringify(key)}${suggest(key, Object.keys(schema.fields))}`);
      continue;
    }
    const value = decodeValue(pair.value as Node | null, field, fieldPath, ctx);
    if (value !== undefined) setKey(out, key, value);
  }
  return out;
}

function firstAt(node: Node | null, ctx: DecodeContext): string {
  const offset = node?.range?.[0];
  if (ctx.lineCounter === undefined || offset === undefined) return "";
  return `, first defined at line ${ctx.lineCounter.linePos(offset).line}`;
}

/** Assigns without tripping over `__proto__` keys in free-form data. */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function suggest(key: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(key.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(key.length / 3))
    ? ` (did you mean ${JSON.stringify(best)}?)`
    : "";
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** Decodes one value; `undefined` means absent (YAML null, as Go leaves the field unset) or invalid. */
function decodeValue(rawNode: Node | null, schema: Schema, path: FieldPath, ctx: DecodeContext): unknown {
  const node = resolveNode(rawNode, ctx.doc);
  if (schema.kind === "any") {
    if (isNull(node)) return undefined;
    if (schema.mapping && !isMap(node)) return fail(ctx, path, node, `expected a mapping, got ${describe(node, ctx)}`);
    return toPlain(node, path, ctx);
  }
  if (isNull(node)) return undefined;
  switch (schema.kind) {
    case "object":
      if (!isMap(node)) return fail(ctx, path, node, `expected a mapping, got ${describe(node, ctx)}`);
      return decodeObject(node, schema, path, ctx);
    case "map": {
      if (!isMap(node)) return fail(ctx, path, node, `expected a mapping, got ${describe(node, ctx)}`);
      const out: Record<string, unknown> = {};
      const seen = new Map<string, Node | null>();
      for (const pair of node.items) {
        const keyNode = resolveNode(pair.key as Node | null, ctx.doc);
        if (!isScalar(keyNode)) {
          fail(ctx, path, keyNode, "mapping keys must be strings");
          continue;
        }
        const key = goScalar(keyNode).raw;
        const first = seen.get(key);
        if (first !== undefined) {
          fail(ctx, [...path, key], keyNode, `duplicate key ${JSON.stringify(key)}${firstAt(first, ctx)}`);
          continue;
        }
        seen.set(key, keyNode);
        const valueNode = resolveNode(pair.value as Node | null, ctx.doc);
        // Go stores the zero value for a null map entry of strings.
        if (isNull(valueNode) && schema.of.kind === "string") {
          setKey(out, key, "");
          continue;
        }
        if (isNull(valueNode)) {
          fail(ctx, [...path, key], valueNode ?? keyNode, `expected ${expectation(schema.of)}, got null`);
          continue;
        }
        const v = decodeValue(valueNode, schema.of, [...path, key], ctx);
        if (v !== undefined) setKey(out, key, v);
      }
      return out;
    }
    case "list": {
      if (!isSeq(node)) return fail(ctx, path, node, `expected a list, got ${describe(node, ctx)}`);
      const out: unknown[] = [];
      for (const [i, item] of node.items.entries()) {
        const itemNode = resolveNode(item as Node | null, ctx.doc);
        if (isNull(itemNode) && schema.of.kind !== "any") {
          if (schema.of.kind === "string") out.push("");
          else fail(ctx, [...path, i], itemNode, `expected ${expectation(schema.of)}, got null`);
          continue;
        }
        const v = decodeValue(itemNode, schema.of, [...path, i], ctx);
        if (v !== undefined || schema.of.kind === "any") out.push(v ?? null);
      }
      return out;
    }
    default:
      if (!isScalar(node)) return fail(ctx, path, node, `expected ${expectation(schema)}, got ${describe(node, ctx)}`);
      return decodeScalar(node, schema, path, ctx);
  }
}

function expectation(schema: Schema): string {
  switch (schema.kind) {
    case "string":
      if (schema.enum !== undefined) return `one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`;
      return schema.format === "duration" ? 'a duration such as "30s" or "1h30m"' : "a string";
    case "bool":
      return "bool (true or false)";
    case "int":
      return schema.min !== undefined && schema.min >= 0 ? "an unsigned integer" : "an integer";
    case "float":
      return "a number";
    case "scalar":
      if (schema.format === "port-range") return 'a port or a port range such as "8000-8010"';
      if (schema.format === "byte-size") return 'a size such as 1073741824 or "100 MB"';
      return schema.accepts.join(" or ");
    case "list":
      return "a list";
    default:
      return "a mapping";
  }
}

function decodeScalar(node: Scalar, schema: Schema, path: FieldPath, ctx: DecodeContext): unknown {
  const s = goScalar(node);
  const got = (): string => describe(node, ctx);
  switch (schema.kind) {
    case "string": {
      // Go decodes any scalar into a string field, keeping its text (`0644` stays "0644").
      if (schema.format === "duration" && (s.type !== "string" || !isGoDuration(s.value))) {
        return fail(ctx, path, node, `expected ${expectation(schema)}, got ${got()}`);
      }
      const text = s.raw;
      if (schema.enum !== undefined && !schema.enum.includes(text)) {
        return fail(ctx, path, node, `expected ${expectation(schema)}, got ${got()}`);
      }
      if (schema.format === "url") {
        const u = parseGoUrl(text);
        if (!u.ok) return fail(ctx, path, node, `invalid URL: ${u.error}`);
      }
      if (schema.format === "base64") {
        const bad = base64Error(text);
        if (bad !== undefined) return fail(ctx, path, node, `expected base64 data, ${bad}`);
      }
      if (schema.format === "prefix" && text !== "" && !isPrefix(text)) {
        return fail(ctx, path, node, `expected a CIDR prefix such as "10.0.0.0/8", got ${got()}`);
      }
      return text;
    }
    case "bool":
      if (s.type === "bool") return s.value;
      if (s.type === "string") {
        const b = goBoolFromString(s.value);
        if (b !== undefined) return b;
      }
      return fail(ctx, path, node, `expected ${expectation(schema)}, got ${got()}`);
    case "int": {
      if (s.type !== "int" && s.type !== "float")
        return fail(ctx, path, node, `expected ${expectation(schema)}, got ${got()}`);
      const n = Math.trunc(s.value);
      if (!Number.isFinite(n)) return fail(ctx, path, node, `expected ${expectation(schema)}, got ${got()}`);
      if (schema.min !== undefined && n < schema.min)
        return fail(ctx, path, node, `expected ${expectation(schema)}, got ${got()}`);
      if (schema.max !== undefined && n > schema.max) {
        return fail(ctx, path, node, `value ${s.raw} is out of range (at most ${schema.max})`);
      }
      return n;
    }
    case "float":
      if (s.type === "int" || s.type === "float") return s.value;
      return fail(ctx, path, node, `expected ${expectation(schema)}, got ${got()}`);
    case "scalar":
      return decodeUnion(node, s, schema, path, ctx);
    default:
      return fail(ctx, path, node, `expected ${expectation(schema)}, got ${got()}`);
  }
}

function decodeUnion(
  node: Scalar,
  s: GoScalar & { readonly raw: string },
  schema: Extract<Schema, { kind: "scalar" }>,
  path: FieldPath,
  ctx: DecodeContext,
): unknown {
  const bad = (): undefined => fail(ctx, path, node, `expected ${expectation(schema)}, got ${describe(node, ctx)}`);
  if (schema.format === "port-range") {
    if (s.type === "int") return s.value >= 0 && s.value <= 65535 ? s.value : bad();
    const m = /^(\d+)-(\d+)$/.exec(s.raw);
    if (m === null || Number(m[1]) > 65535 || Number(m[2]) > 65535) {
      return fail(ctx, path, node, `invalid port range: ${JSON.stringify(s.raw)}`);
    }
    return s.raw;
  }
  if (schema.format === "byte-size") {
    if (s.type === "int" && s.value >= 0) return s.value;
    return parseByteSize(s.raw) !== undefined ? s.raw : bad();
  }
  if (s.type === "int" && schema.accepts.includes("int")) return s.value;
  if (s.type === "bool" && schema.accepts.includes("bool")) return s.value;
  if (schema.accepts.includes("string") && s.type !== "null") return s.raw;
  return bad();
}

function base64Error(text: string): string | undefined {
  const s = text.replace(/[\r\n]/g, "");
  const bad = /[^A-Za-z0-9+/=]/.exec(s);
  if (bad !== null) return `illegal base64 data at input byte ${bad.index}`;
  const pad = s.indexOf("=");
  if (s.length % 4 !== 0 || (pad >= 0 && (pad < s.length - 2 || /[^=]/.test(s.slice(pad))))) {
    return `illegal base64 data at input byte ${pad >= 0 ? pad : s.length - (s.length % 4)}`;
  }
  return undefined;
}

/** Free-form YAML as plain data, with Go's scalar typing. */
function toPlain(rawNode: Node | null, path: FieldPath, ctx: DecodeContext): unknown {
  const node = resolveNode(rawNode, ctx.doc);
  if (node === null) return null;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, Node | null>();
    for (const pair of node.items) {
      const keyNode = resolveNode(pair.key as Node | null, ctx.doc);
      const key = isScalar(keyNode) ? goScalar(keyNode).raw : String(toPlain(keyNode, path, ctx));
      const first = seen.get(key);
      if (first !== undefined) {
        fail(ctx, [...path, key], keyNode, `duplicate key ${JSON.stringify(key)}${firstAt(first, ctx)}`);
        continue;
      }
      seen.set(key, keyNode);
      setKey(out, key, toPlain(pair.value as Node | null, [...path, key], ctx));
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item, i) => toPlain(item as Node | null, [...path, i], ctx));
  if (isScalar(node)) {
    const s = goScalar(node);
    return s.type === "null" ? null : s.value;
  }
  return null;
}
