/**
 * A YAML writer that lays values out the way Talos's Go encoder (yaml.v3, indent 4) does: nested blocks on
 * multiples of four columns, sequences indented under their key, `{}`/`[]` for empty collections,
 * yaml.v3's quoting rules, literal blocks for multi-line text, no line folding. With `docs`, field docs
 * become comments (inline for scalars, a line above for collections); with `examples`, fields that are
 * absent but have examples are written as commented-out YAML.
 */
import { formatGoNumber, goStringStyle, quoteString } from "../internal/go-scalar.ts";
import type { Schema } from "../schema/dsl.ts";

export interface EmitOptions {
  readonly docs: boolean;
  readonly examples: boolean;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Column of a block collection nested under a mapping key at `col` (yaml.v3 aligns to the indent width). */
export function childColumn(col: number): number {
  return 4 * Math.floor((col + 4) / 4);
}

const pad = (n: number): string => " ".repeat(n);

/** Writes a whole document (a mapping at column 0). */
export function emitDocument(value: Obj, schema: Schema | undefined, opts: EmitOptions): string {
  const lines = emitEntries(value, schema, 0, opts);
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines.length === 0 ? "{}\n" : `${lines.join("\n")}\n`;
}

/** Children of free-form values: no docs, no constraints. */
const FREE_FORM: Schema = { kind: "any" };

/** The schema of a child of an object/map/list schema. */
export function childSchema(schema: Schema | undefined, key: string | number): Schema | undefined {
  if (schema === undefined) return undefined;
  switch (schema.kind) {
    case "object":
      return typeof key === "string" && Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined;
    case "map":
      return schema.of;
    case "list":
      return schema.of;
    case "any":
      return FREE_FORM;
    default:
      return undefined;
  }
}

/** Whether a value is written inline after its key (scalars and empty collections). */
function isInline(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (isObj(v)) return Object.keys(v).length === 0;
  return true;
}

/** Whether a field's doc goes on a line of its own above the key (collections) rather than inline. */
function docAbove(schema: Schema | undefined, v: unknown): boolean {
  if (schema !== undefined)
    return ["object", "map", "list", "any"].includes(schema.kind) && (schema.kind !== "any" || typeof v === "object");
  return typeof v === "object" && v !== null;
}

function docOf(schema: Schema | undefined, opts: EmitOptions): string | undefined {
  return opts.docs && schema?.doc !== undefined ? schema.doc : undefined;
}

/** Lines of the entries of a mapping whose keys sit at column `col`. */
export function emitEntries(value: Obj, schema: Schema | undefined, col: number, opts: EmitOptions): string[] {
  const lines: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    lines.push(...emitEntry(key, v, childSchema(schema, key), col, opts));
  }
  if (opts.examples && schema?.kind === "object") lines.push(...emitExamples(value, schema.fields, col, opts));
  return lines;
}

/** Lines of one `key: value` entry at column `col`, with its doc comment. */
export function emitEntry(
  key: string,
  v: unknown,
  schema: Schema | undefined,
  col: number,
  opts: EmitOptions,
): string[] {
  const doc = docOf(schema, opts);
  const above = doc !== undefined && docAbove(schema, v);
  const lines: string[] = above ? [`${pad(col)}# ${doc}`] : [];
  const inlineDoc = doc !== undefined && !above ? doc : undefined;
  const head = `${pad(col)}${formatKey(key)}:`;
  const rest = emitAfterKey(v, schema, col, opts, inlineDoc);
  const [first = "", ...more] = rest;
  lines.push(head + first, ...more);
  if (opts.examples && isObj(v) && Object.keys(v).length === 0 && schema?.kind === "object") {
    // The examples of an empty mapping's fields follow its `{}` line.
    lines.push(...emitExamples(v, schema.fields, col, opts, false));
  }
  const example = schema?.examples?.[0];
  if (opts.examples && Array.isArray(v) && v.length === 0 && Array.isArray(example) && example.length > 0) {
    // An empty list shows its example items commented out where they would go: `#   - item`.
    const items = emitItems(example, schema, childColumn(col), { docs: opts.docs, examples: false });
    for (const line of items) lines.push(`${pad(col)}#${line.slice(col + 1)}`);
    lines.push("");
  }
  return lines;
}

/**
 * The text after `key:` for a value of a mapping key at column `col`: the first element continues the key's
 * line (` value`, or empty for a block), the others are whole lines.
 */
export function emitAfterKey(
  v: unknown,
  schema: Schema | undefined,
  col: number,
  opts: EmitOptions,
  inlineDoc?: string,
): string[] {
  const comment = inlineDoc !== undefined ? ` # ${inlineDoc}` : "";
  if (isInline(v)) {
    const text = formatScalar(v, schema);
    if (text.literal !== undefined) {
      const block = text.literal(col, childColumn(col));
      return [` ${block.header}${comment}`, ...block.lines];
    }
    return [` ${text.header}${comment}`];
  }
  const inner = childColumn(col);
  if (Array.isArray(v)) return [comment, ...emitItems(v, schema, inner, opts)];
  return [comment, ...emitEntries(v as Obj, schema, inner, opts)];
}

/** Lines of sequence items whose dashes sit at column `col`. */
export function emitItems(
  items: readonly unknown[],
  schema: Schema | undefined,
  col: number,
  opts: EmitOptions,
): string[] {
  const lines: string[] = [];
  const itemSchema = childSchema(schema, 0);
  for (const item of items) lines.push(...emitItem(item, itemSchema, col, opts));
  return lines;
}

/** Lines of one `- item` at dash column `col`. */
export function emitItem(item: unknown, schema: Schema | undefined, col: number, opts: EmitOptions): string[] {
  const body = emitItemBody(item, schema, col, opts);
  const [first = "", ...more] = body;
  return [`${pad(col)}-${first}`, ...more];
}

/** The text after a `-` at column `col`: first element continues the dash's line. */
export function emitItemBody(item: unknown, schema: Schema | undefined, col: number, opts: EmitOptions): string[] {
  const inner = col + 2;
  if (isInline(item)) {
    const text = formatScalar(item, schema);
    if (text.literal !== undefined) {
      const block = text.literal(col, childColumn(col));
      return [` ${block.header}`, ...block.lines];
    }
    return [` ${text.header}`];
  }
  if (Array.isArray(item)) {
    const nested = emitItems(item, schema, inner, opts);
    const [first = "", ...more] = nested;
    return [` ${first.slice(inner)}`, ...more];
  }
  // A doc comment of the first key lands on the dash line (`- # doc`), the key itself below it.
  const entries = emitEntries(item as Obj, schema, inner, opts);
  const [first = "", ...more] = entries;
  return [` ${first.slice(inner)}`, ...more];
}

/** Commented-out examples of the object's absent fields. */
function emitExamples(
  value: Obj,
  fields: Record<string, Schema>,
  col: number,
  opts: EmitOptions,
  blank = true,
): string[] {
  const lines: string[] = [];
  const inner: EmitOptions = { docs: opts.docs, examples: false };
  for (const [key, field] of Object.entries(fields)) {
    if (value[key] !== undefined || field.examples === undefined || field.examples.length === 0) continue;
    if (blank || lines.length > 0) lines.push("");
    if (field.doc !== undefined) lines.push(`${pad(col)}# # ${field.doc}`);
    for (const example of field.examples) {
      const body = emitEntry(key, example, { ...field, doc: undefined } as Schema, 0, inner);
      for (const line of body) lines.push(`${pad(col)}# ${line}`);
    }
  }
  return lines;
}

/** A map key as yaml.v3 writes it. */
export function formatKey(key: string): string {
  const style = goStringStyle(key);
  return quoteString(key, style === "literal" ? "double" : style);
}

export interface FormattedScalar {
  /** The scalar itself (for literal blocks: the header without indentation hint). */
  readonly header: string;
  /**
   * For literal blocks: the header and content lines, given the column of the owning key or dash and the
   * column the content goes to.
   */
  readonly literal?: (parentCol: number, col: number) => { header: string; lines: string[] };
}

/** A scalar (or empty collection) as yaml.v3 writes it. */
export function formatScalar(v: unknown, schema?: Schema): FormattedScalar {
  if (v === null || v === undefined) return { header: "null" };
  if (Array.isArray(v)) return { header: "[]" };
  if (isObj(v)) return { header: "{}" };
  if (typeof v === "boolean") return { header: String(v) };
  if (typeof v === "number") return { header: formatGoNumber(v, schema?.kind === "int" && schema.octal === true) };
  if (typeof v === "bigint") return { header: String(v) };
  const s = String(v);
  const style = goStringStyle(s);
  if (style !== "literal") return { header: quoteString(s, style) };
  const trailing = /\n*$/.exec(s)?.[0].length ?? 0;
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  // Text starting with a space or blank line needs an explicit indentation indicator.
  const needsHint = s.startsWith(" ") || s.startsWith("\n");
  const body = trailing > 0 ? s.slice(0, s.length - 1) : s;
  return {
    header: `|${chomp}`,
    literal: (parentCol, col) => ({
      header: `|${needsHint ? String(col - parentCol) : ""}${chomp}`,
      lines: body.split("\n").map((line) => (line === "" ? "" : pad(col) + line)),
    }),
  };
}
