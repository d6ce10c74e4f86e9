/**
 * Scalars the way Go's yaml.v3 reads and writes them, which is what Talos does and what users' files are
 * written against. The `yaml` package follows YAML 1.2 (`0644` is decimal 644); yaml.v3 still reads
 * 0-prefixed octals, `0b` binaries and `_` separators, and accepts `yes`/`no`/`on`/`off` for bool fields.
 */

/** A plain scalar resolved with yaml.v3's implicit typing rules. */
export type GoScalar =
  | { readonly type: "null" }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "int"; readonly value: number }
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "string"; readonly value: string };

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUES = new Set(["true", "True", "TRUE"]);
const FALSES = new Set(["false", "False", "FALSE"]);
const FLOAT_RE = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOATS: Record<string, number> = {
  ".nan": Number.NaN,
  ".NaN": Number.NaN,
  ".NAN": Number.NaN,
  ".inf": Number.POSITIVE_INFINITY,
  ".Inf": Number.POSITIVE_INFINITY,
  ".INF": Number.POSITIVE_INFINITY,
  "+.inf": Number.POSITIVE_INFINITY,
  "+.Inf": Number.POSITIVE_INFINITY,
  "+.INF": Number.POSITIVE_INFINITY,
  "-.inf": Number.NEGATIVE_INFINITY,
  "-.Inf": Number.NEGATIVE_INFINITY,
  "-.INF": Number.NEGATIVE_INFINITY,
};

/** Go `strconv.ParseInt(s, 0, 64)` on a string whose `_` separators were already removed. */
export function parseGoInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (m === null) return undefined;
  const sign = m[1] === "-" ? -1 : 1;
  const body = m[2] ?? "";
  let n: number;
  if (/^0[xX]/.test(body)) n = Number.parseInt(body.slice(2), 16);
  else if (/^0[oO]/.test(body)) n = Number.parseInt(body.slice(2), 8);
  else if (/^0[bB]/.test(body)) n = Number.parseInt(body.slice(2), 2);
  else if (body.length > 1 && body.startsWith("0")) n = Number.parseInt(body.slice(1), 8);
  else n = Number.parseInt(body, 10);
  return sign * n;
}

/** Resolves an untagged plain scalar's source text as yaml.v3 does. */
export function resolvePlainScalar(text: string): GoScalar {
  if (NULLS.has(text)) return { type: "null" };
  if (TRUES.has(text)) return { type: "bool", value: true };
  if (FALSES.has(text)) return { type: "bool", value: false };
  const special = SPECIAL_FLOATS[text];
  if (special !== undefined) return { type: "float", value: special };
  const first = text[0] ?? "";
  if (/[0-9+\-.]/.test(first)) {
    const plain = text.replaceAll("_", "");
    const int = parseGoInt(plain);
    if (int !== undefined) return { type: "int", value: int };
    if (FLOAT_RE.test(plain)) return { type: "float", value: Number.parseFloat(plain) };
  }
  return { type: "string", value: text };
}

/**
 * Strings yaml.v3 accepts for a Go `bool` field besides `true`/`false`: the YAML 1.1 spellings, only when
 * the target is explicitly a bool (Talos documents `yes`/`no` as valid values).
 */
export function goBoolFromString(s: string): boolean | undefined {
  if (["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"].includes(s)) return true;
  if (["n", "N", "no", "No", "NO", "off", "Off", "OFF"].includes(s)) return false;
  return undefined;
}

/** Go `time.ParseDuration` syntax: `0`, or signed sequences of decimal numbers with units. */
export function isGoDuration(s: string): boolean {
  if (/^[-+]?0$/.test(s)) return true;
  return /^[-+]?((\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$/.test(s);
}

const OLD_BOOLS = new Set([
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "on",
  "On",
  "ON",
  "off",
  "Off",
  "OFF",
]);
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** How a string value is written: plain, quoted, or as a literal block (multi-line). */
export type StringStyle = "plain" | "single" | "double" | "literal";

/**
 * Picks the style yaml.v3 (libyaml's emitter) uses for a string in block context: strings that would read
 * back as another type get double quotes, text libyaml cannot write plain gets single quotes, multi-line
 * text becomes a literal block.
 */
export function goStringStyle(s: string, inFlow = false): StringStyle {
  const reads = resolvePlainScalar(s).type;
  const canUsePlain = reads === "string" && !OLD_BOOLS.has(s) && !BASE60_FLOAT.test(s);
  const hasSpecial = /[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f\ufeff]/.test(s);
  if (s.includes("\n")) {
    // libyaml refuses literal blocks with trailing spaces or special characters; quoting keeps the text exact.
    return inFlow || hasSpecial || /[ \t]\n|[ \t]$/.test(s) ? "double" : "literal";
  }
  if (!canUsePlain) return "double";
  if (hasSpecial) return "double";
  if (plainAllowed(s, inFlow)) return "plain";
  return s.includes("\t") ? "double" : "single";
}

function plainAllowed(s: string, inFlow: boolean): boolean {
  if (s === "") return false;
  if (s.startsWith("---") || s.startsWith("...")) return false;
  if (/^\s|\s$/.test(s)) return false;
  const first = s[0] ?? "";
  if ("#,[]{}&*!|>'\"%@`".includes(first)) return false;
  if ((first === "-" || first === "?" || first === ":") && (s.length === 1 || /\s/.test(s[1] ?? ""))) return false;
  if (/: |:$/.test(s) || s.includes(" #")) return false;
  if (s.includes("\t")) return false;
  if (inFlow && /[,[\]{}]/.test(s)) return false;
  return true;
}

/** Writes a string in the given single-line style. */
export function quoteString(s: string, style: "plain" | "single" | "double"): string {
  if (style === "plain") return s;
  if (style === "single") return `'${s.replaceAll("'", "''")}'`;
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (code === 0) out += "\\0";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).toUpperCase().padStart(2, "0")}`;
    else if ((code >= 0x80 && code <= 0x9f) || code === 0xfeff)
      out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Formats a number as yaml.v3 does (`0o644` for file modes). */
export function formatGoNumber(n: number, octal = false): string {
  if (octal && Number.isInteger(n) && n >= 0) return `0o${n.toString(8)}`;
  if (Number.isNaN(n)) return ".nan";
  if (n === Number.POSITIVE_INFINITY) return ".inf";
  if (n === Number.NEGATIVE_INFINITY) return "-.inf";
  return String(n);
}
