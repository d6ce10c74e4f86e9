/**
 * Label and ID queries (COSI `LabelQuery`/`IDQuery`). A query's terms are ANDed; a list of queries is ORed.
 *
 * A term on a missing label does not match (so `invert` makes it match), except `notExists`. The
 * comparison operators need a value; `lt`/`lte` compare strings, `ltNumeric`/`lteNumeric` compare integers
 * with an optional unit suffix (`k`, `M`, `G`, `T`, `P`; `Ki` … `Pi`) and never match (inverted or not) when
 * either side is not such a number.
 */

/** Operators, named after the wire enum (`EXISTS`, `EQUAL`, `NOT_EXISTS`, `IN`, `LT`, `LTE`, …). */
export type LabelOp = "exists" | "equal" | "notExists" | "in" | "lt" | "lte" | "ltNumeric" | "lteNumeric";

/** One condition on one label. `value` holds one operand (or the set, for `in`). */
export interface LabelTerm {
  readonly key: string;
  readonly op: LabelOp;
  readonly value?: readonly string[];
  readonly invert?: boolean;
}

/** Terms that must all match. */
export interface LabelQuery {
  readonly terms: readonly LabelTerm[];
}

/** One query, or several of which any may match. */
export type LabelQueries = LabelQuery | readonly LabelQuery[];

/** Matches IDs by regular expression (unanchored, like Go's `MatchString`). */
export interface IdQuery {
  readonly regexp: string | RegExp;
}

/** Whether `labels` satisfy `term`. */
export function matchesLabelTerm(labels: Readonly<Record<string, string>>, term: LabelTerm): boolean {
  const result = evaluate(labels, term);
  if (result === undefined) return false;
  return term.invert === true ? !result : result;
}

/** Whether `labels` satisfy the query (or any of the queries); no query matches everything. */
export function matchesLabelQuery(labels: Readonly<Record<string, string>>, query: LabelQueries | undefined): boolean {
  if (query === undefined) return true;
  const queries: readonly LabelQuery[] = isQueryList(query) ? query : [query];
  if (queries.length === 0) return true;
  return queries.some((q) => q.terms.every((term) => matchesLabelTerm(labels, term)));
}

/** Whether `id` matches the query; no query matches everything. */
export function matchesIdQuery(id: string, query: IdQuery | undefined): boolean {
  if (query === undefined) return true;
  return compileIdQuery(query).test(id);
}

/** A stateless `RegExp` for the query (global/sticky flags dropped so `test` has no memory). */
export function compileIdQuery(query: IdQuery): RegExp {
  if (typeof query.regexp === "string") return new RegExp(query.regexp);
  return new RegExp(query.regexp.source, query.regexp.flags.replace(/[gy]/g, ""));
}

function isQueryList(query: LabelQueries): query is readonly LabelQuery[] {
  return Array.isArray(query);
}

/** `undefined` = "cannot compare": no match whatever `invert` says. */
function evaluate(labels: Readonly<Record<string, string>>, term: LabelTerm): boolean | undefined {
  const present = Object.hasOwn(labels, term.key);
  if (term.op === "notExists") return !present;
  if (!present) return false;
  if (term.op === "exists") return true;
  const value = labels[term.key] as string;
  const operand = term.value?.[0];
  if (operand === undefined) return false;
  switch (term.op) {
    case "equal":
      return value === operand;
    case "in":
      return (term.value ?? []).includes(value);
    case "lt":
      return value < operand;
    case "lte":
      return value <= operand;
    case "ltNumeric":
    case "lteNumeric": {
      const left = parseQuantity(value);
      const right = parseQuantity(operand);
      if (left === undefined || right === undefined) return undefined;
      return term.op === "ltNumeric" ? left < right : left <= right;
    }
  }
}

const binaryUnits: Record<string, bigint> = {
  ki: 1n << 10n,
  mi: 1n << 20n,
  gi: 1n << 30n,
  ti: 1n << 40n,
  pi: 1n << 50n,
};
const decimalUnits: Record<string, bigint> = { k: 10n ** 3n, m: 10n ** 6n, g: 10n ** 9n, t: 10n ** 12n, p: 10n ** 15n };

/** `"42"`, `"-3"`, `"10k"`, `"4Gi"` → integer; anything else → `undefined`. */
function parseQuantity(text: string): bigint | undefined {
  const match = /^(-?[0-9]+)\s*([a-zA-Z]*)$/.exec(text.trim());
  if (match === null) return undefined;
  const digits = BigInt(match[1] as string);
  const unit = (match[2] as string).toLowerCase();
  if (unit === "") return digits;
  const multiplier = binaryUnits[unit.slice(0, 2)] ?? decimalUnits[unit.slice(0, 1)];
  return multiplier === undefined ? undefined : digits * multiplier;
}
