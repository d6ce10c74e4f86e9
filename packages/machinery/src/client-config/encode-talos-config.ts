/**
 * Writes a talosconfig the way talosctl (Go yaml.v3, indent 4) does: `context` always present, contexts
 * sorted in yaml.v3's map key order, context fields in Talos's struct order with its omitempty rules
 * (`endpoints` always written, `[]` when empty; `nodes`, `ca`, `crt`, `key`, `auth`, `cluster` only when set).
 */
import { formatKey, formatScalar } from "../config/yaml/emit.ts";
import type { TalosConfig, TalosContext } from "./talos-config.ts";

const INDENT = 4;

/** Encodes a talosconfig as YAML text, ending in a newline. */
export function encodeTalosConfig(config: TalosConfig): string {
  const lines: string[] = [];
  lines.push(...entry("context", config.context ?? "", 0));
  const names = Object.keys(config.contexts).sort(compareGoYamlKeys);
  if (names.length === 0) {
    lines.push("contexts: {}");
  } else {
    lines.push("contexts:");
    for (const name of names) {
      const context = config.contexts[name];
      if (context === undefined) continue;
      lines.push(`${pad(INDENT)}${formatKey(name)}:`);
      lines.push(...contextLines(context, 2 * INDENT));
    }
  }
  return `${lines.join("\n")}\n`;
}

function contextLines(c: TalosContext, col: number): string[] {
  const out: string[] = [];
  out.push(...list("endpoints", c.endpoints, col));
  if (c.nodes !== undefined && c.nodes.length > 0) out.push(...list("nodes", c.nodes, col));
  for (const key of ["ca", "crt", "key"] as const) {
    const v = c[key];
    if (v !== undefined && v !== "") out.push(...entry(key, v, col));
  }
  const basic = c.auth?.basic;
  const siderov1 = c.auth?.siderov1;
  if (basic !== undefined || siderov1 !== undefined) {
    out.push(`${pad(col)}auth:`);
    const inner = col + INDENT;
    if (basic !== undefined) {
      out.push(`${pad(inner)}basic:`);
      out.push(...entry("username", basic.username, inner + INDENT));
      out.push(...entry("password", basic.password, inner + INDENT));
    }
    if (siderov1 !== undefined) {
      out.push(`${pad(inner)}siderov1:`);
      out.push(...entry("identity", siderov1.identity, inner + INDENT));
    }
  }
  if (c.cluster !== undefined && c.cluster !== "") out.push(...entry("cluster", c.cluster, col));
  return out;
}

/** `key: value` at column `col` (multi-line text as a literal block, as yaml.v3 writes it). */
function entry(key: string, value: string, col: number): string[] {
  const text = formatScalar(value);
  const head = `${pad(col)}${formatKey(key)}:`;
  if (text.literal === undefined) return [`${head} ${text.header}`];
  const block = text.literal(col, col + INDENT);
  return [`${head} ${block.header}`, ...block.lines];
}

/** A string list at column `col`: `[]` when empty, else items indented one level below the key. */
function list(key: string, items: readonly string[], col: number): string[] {
  const head = `${pad(col)}${formatKey(key)}:`;
  if (items.length === 0) return [`${head} []`];
  const dash = col + INDENT;
  const out = [head];
  for (const item of items) {
    const text = formatScalar(item);
    if (text.literal === undefined) {
      out.push(`${pad(dash)}- ${text.header}`);
    } else {
      const block = text.literal(dash, dash + INDENT);
      out.push(`${pad(dash)}- ${block.header}`, ...block.lines);
    }
  }
  return out;
}

const pad = (n: number): string => " ".repeat(n);

/**
 * The order yaml.v3 writes map keys in: letters before other characters, digit runs compared by numeric
 * value (so `ctx-2` comes before `ctx-10`), otherwise by code point; a shorter prefix first.
 */
export function compareGoYamlKeys(a: string, b: string): number {
  if (a === b) return 0;
  return goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0;
}

const isDigit = (c: string): boolean => /^\p{Nd}$/u.test(c);
const isLetter = (c: string): boolean => /^\p{L}$/u.test(c);

function goYamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] ?? "";
    const bc = br[i] ?? "";
    if (ac === bc) {
      digits = isDigit(ac);
      continue;
    }
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return (ac.codePointAt(0) ?? 0) < (bc.codePointAt(0) ?? 0);
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ac === "0" || bc === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] ?? ""); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai] ?? ""); ai++) an = an * 10 + digitValue(ar[ai] ?? "0");
    let bi = i;
    for (; bi < br.length && isDigit(br[bi] ?? ""); bi++) bn = bn * 10 + digitValue(br[bi] ?? "0");
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (ac.codePointAt(0) ?? 0) < (bc.codePointAt(0) ?? 0);
  }
  return ar.length < br.length;
}

/** Go computes `int64(r - '0')`, which for non-ASCII digits is not their value; mirror it. */
function digitValue(c: string): number {
  return (c.codePointAt(0) ?? 48) - 48;
}
