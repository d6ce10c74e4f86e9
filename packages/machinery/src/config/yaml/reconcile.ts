/**
 * Writes an edited document back into its original text: only what changed is rewritten, by splicing the
 * source, so comments, blank lines, quoting and layout of everything else stay byte for byte. Changed
 * scalars are replaced in place (keeping their inline comments), new keys are inserted next to their
 * siblings, removed keys are cut out with the comment lines directly above them, and anything the
 * splicer cannot express safely (flow collections, aliases, reshaped items) is re-rendered as a whole.
 */

import type { Document } from "yaml";
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import type { DocumentSource } from "../internal/source-info.ts";
import type { Schema } from "../schema/dsl.ts";
import { childSchema, emitAfterKey, emitEntries, emitEntry, emitItemBody, emitItems, formatScalar } from "./emit.ts";

type Obj = Record<string, unknown>;

const PLAIN = { docs: false, examples: false } as const;

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly order: number;
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Deep equality of decoded values (plain data, key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Returns the document's new text, or the original slice when the value is unchanged. */
export function reconcileDocument(doc: Document, src: DocumentSource, value: Obj, schema: Schema | undefined): string {
  const original = src.text.slice(src.start, src.end);
  if (deepEqual(src.decoded, value)) return original;
  const r = reconciler(src.text);
  const root = doc.contents as Node | null;
  if (isMap(root) && !root.flow && root.items.length > 0) {
    r.map(root, src.decoded, value, schema);
  } else if (root !== null && root.range !== undefined && root.range !== null) {
    r.push(root.range[0], r.contentEnd(root), emitEntries(value, schema, 0, PLAIN).join("\n"));
  }
  return r.apply(src.start, src.end);
}

/** Collects non-overlapping text edits against the original source. */
function reconciler(text: string) {
  const edits: Edit[] = [];

  const lineStart = (pos: number): number => text.lastIndexOf("\n", pos - 1) + 1;
  const lineEnd = (pos: number): number => {
    const i = text.indexOf("\n", pos);
    return i < 0 ? text.length : i;
  };
  const column = (pos: number): number => pos - lineStart(pos);

  const push = (start: number, end: number, replacement: string): void => {
    edits.push({ start, end, text: replacement, order: edits.length });
  };

  /** End of the line holding the node's last content character (before its newline). */
  const contentEnd = (node: Node): number => {
    const [start, valueEnd] = node.range ?? [0, 0];
    let p = valueEnd - 1;
    while (p > start && /\s/.test(text[p] ?? "")) p--;
    return lineEnd(Math.max(p, start));
  };

  /** Offset just after the line that ends the pair (its value's last line). */
  const pairEnd = (pair: Pair): number => {
    const key = pair.key as Node;
    const value = pair.value as Node | null;
    const keyEnd = key.range?.[1] ?? 0;
    const end =
      value?.range !== undefined && value.range !== null && value.range[1] > keyEnd
        ? contentEnd(value)
        : lineEnd(keyEnd);
    return end;
  };

  /** Inserts whole lines after the line ending at `end` (a newline offset or the end of text). */
  const insertLines = (end: number, lines: readonly string[]): void => {
    if (lines.length === 0) return;
    if (text[end] === "\n") push(end + 1, end + 1, `${lines.join("\n")}\n`);
    else push(end, end, `\n${lines.join("\n")}`);
  };

  /** Start of the comment lines directly above `pos`, at the same column. */
  const commentBlockStart = (pos: number, col: number): number => {
    let start = lineStart(pos);
    while (start > 0) {
      const prev = lineStart(start - 1);
      const line = text.slice(prev, start - 1);
      if (!new RegExp(`^ {${col}}#`).test(line)) break;
      start = prev;
    }
    return start;
  };

  const afterColon = (pair: Pair): number => {
    let p = (pair.key as Node).range?.[1] ?? 0;
    while (p < text.length && text[p] !== ":") p++;
    return p + 1;
  };

  const keyText = (pair: Pair): string | undefined => {
    const k = pair.key as Node | null;
    return isScalar(k) ? String(k.source ?? k.value) : undefined;
  };

  const replacePairValue = (pair: Pair, v: unknown, schema: Schema | undefined, keyCol: number): void => {
    const from = afterColon(pair);
    const value = pair.value as Node | null;
    let to = from;
    let comment = "";
    if (value?.range !== undefined && value.range !== null) {
      const oneLine =
        (isScalar(value) && value.type !== "BLOCK_LITERAL" && value.type !== "BLOCK_FOLDED") ||
        ((isMap(value) || isSeq(value)) && value.flow === true);
      to = Math.max(oneLine ? value.range[1] : contentEnd(value), from);
      if (oneLine) {
        // An inline comment of a one-line value stays on the key's line even if the value becomes a block.
        const tail = text.slice(to, lineEnd(to));
        if (/^\s+#/.test(tail)) {
          comment = ` ${tail.trim()}`;
          to += tail.length;
        }
      }
    }
    const [first = "", ...rest] = emitAfterKey(v, schema, keyCol, PLAIN);
    push(from, to, [first + comment, ...rest].join("\n"));
  };

  /** Replaces a scalar in place when both old and new are one-line scalars; false if it cannot. */
  const replaceScalar = (node: Node | null, v: unknown, schema: Schema | undefined): boolean => {
    if (!isScalar(node) || node.range === undefined || node.range === null) return false;
    if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED" || typeof v === "object") return false;
    if ((node as Scalar).source === "" && node.range[0] === node.range[1]) return false; // `key:` with no value
    const f = formatScalar(v, schema);
    if (f.literal !== undefined) return false;
    push(node.range[0], node.range[1], f.header);
    return true;
  };

  const pairValue = (pair: Pair, old: unknown, v: unknown, schema: Schema | undefined, keyCol: number): void => {
    const node = pair.value as Node | null;
    if (isAlias(node) || (node as { anchor?: string } | null)?.anchor !== undefined) {
      replacePairValue(pair, v, schema, keyCol);
      return;
    }
    if (isMap(node) && !node.flow && isObj(v) && Object.keys(v).length > 0 && isObj(old)) {
      if (map(node, old, v, schema)) return;
    } else if (isSeq(node) && !node.flow && Array.isArray(v) && v.length > 0 && Array.isArray(old)) {
      if (seq(node, old, v, schema)) return;
    } else if (replaceScalar(node, v, schema)) {
      return;
    }
    replacePairValue(pair, v, schema, keyCol);
  };

  /**
   * Reconciles a block mapping. Returns false (having recorded nothing) when the change needs the whole
   * mapping rewritten, e.g. editing the first key of a mapping that starts on a `- ` line.
   */
  const map = (node: YAMLMap, old: Obj, v: Obj, schema: Schema | undefined): boolean => {
    const pairs = node.items as Pair[];
    const first = pairs[0];
    if (first === undefined) return false;
    const firstStart = (first.key as Node).range?.[0] ?? 0;
    const keyCol = column(firstStart);
    const firstAtLineStart = /^ *$/.test(text.slice(lineStart(firstStart), firstStart));
    const present = new Map<string, Pair>();
    for (const pair of pairs) {
      const k = keyText(pair);
      if (k === undefined) return false;
      present.set(k, pair);
    }
    const wanted = Object.keys(v).filter((k) => v[k] !== undefined);
    const mark = edits.length;
    for (const pair of pairs) {
      const k = keyText(pair) ?? "";
      const field = childSchema(schema, k);
      if (v[k] === undefined) {
        if (old[k] === undefined) continue; // a null the user wrote; still absent
        if (pair === first && !firstAtLineStart) {
          // The first key shares its line with `- `: the item has to be rewritten.
          edits.length = mark;
          return false;
        }
        const start = commentBlockStart((pair.key as Node).range?.[0] ?? 0, keyCol);
        const end = pairEnd(pair);
        push(start, text[end] === "\n" ? end + 1 : end, "");
        continue;
      }
      if (deepEqual(old[k], v[k])) continue;
      pairValue(pair, old[k], v[k], field, keyCol);
    }
    // New keys go after the closest preceding key (in the new value's order) that already exists.
    const groups = new Map<Pair | undefined, string[]>();
    let anchor: Pair | undefined;
    for (const k of wanted) {
      const existing = present.get(k);
      if (existing !== undefined) {
        anchor = existing;
        continue;
      }
      const lines = emitEntry(k, v[k], childSchema(schema, k), keyCol, PLAIN);
      groups.set(anchor, [...(groups.get(anchor) ?? []), ...lines]);
    }
    for (const [after, lines] of groups) {
      if (after !== undefined) {
        insertLines(pairEnd(after), lines);
      } else if (firstAtLineStart) {
        const at = commentBlockStart(firstStart, keyCol);
        push(at, at, `${lines.join("\n")}\n`);
      } else {
        edits.length = mark;
        return false;
      }
    }
    return true;
  };

  /** Reconciles a block sequence item by item; false when it must be rewritten whole. */
  const seq = (node: YAMLSeq, old: unknown[], v: unknown[], schema: Schema | undefined): boolean => {
    const items = node.items as (Node | null)[];
    const firstItem = items[0];
    if (firstItem === undefined || firstItem === null || firstItem.range === undefined || firstItem.range === null)
      return false;
    const dash = text.lastIndexOf("-", firstItem.range[0]);
    const dashCol = column(dash);
    if (!/^ *$/.test(text.slice(lineStart(dash), dash))) return false;
    if (items.length !== old.length) return false;
    const mark = edits.length;
    const itemSchema = childSchema(schema, 0);
    const common = Math.min(old.length, v.length);
    for (let i = 0; i < common; i++) {
      if (deepEqual(old[i], v[i])) continue;
      const item = items[i] ?? null;
      if (!seqItem(item, old[i], v[i], itemSchema, dashCol)) {
        edits.length = mark;
        return false;
      }
    }
    const last = items[items.length - 1] ?? null;
    if (last === null || last.range === undefined || last.range === null) {
      edits.length = mark;
      return false;
    }
    if (v.length > old.length) insertLines(contentEnd(last), emitItems(v.slice(old.length), schema, dashCol, PLAIN));
    if (v.length < old.length) {
      const from = items[v.length];
      if (from === undefined || from === null || from.range === undefined || from.range === null) {
        edits.length = mark;
        return false;
      }
      const start = lineStart(text.lastIndexOf("-", from.range[0]));
      const end = contentEnd(last);
      push(start, text[end] === "\n" ? end + 1 : end, "");
    }
    return true;
  };

  const seqItem = (
    item: Node | null,
    old: unknown,
    v: unknown,
    schema: Schema | undefined,
    dashCol: number,
  ): boolean => {
    if (item === null || item.range === undefined || item.range === null || isAlias(item)) return false;
    if (isMap(item) && !item.flow && isObj(v) && Object.keys(v).length > 0 && isObj(old)) {
      if (map(item, old, v, schema)) return true;
    } else if (isSeq(item) || isAlias(item)) {
      return false;
    } else if (replaceScalar(item, v, schema)) {
      return true;
    }
    const body = emitItemBody(v, schema, dashCol, PLAIN).join("\n");
    const end =
      isScalar(item) && item.type !== "BLOCK_LITERAL" && item.type !== "BLOCK_FOLDED"
        ? item.range[1]
        : contentEnd(item);
    push(item.range[0], end, body.slice(1));
    return true;
  };

  /** Applies the edits and returns the text of `[start, end)`. */
  const apply = (start: number, end: number): string => {
    let out = text.slice(start, end);
    const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end || b.order - a.order);
    for (const e of sorted) {
      out = out.slice(0, e.start - start) + e.text + out.slice(e.end - start);
    }
    return out;
  };

  return { map, push, contentEnd, apply };
}
