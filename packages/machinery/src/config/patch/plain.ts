/** Small helpers for decoded (plain JSON-like) config values, shared by the patch modules. */

export type PlainObject = Record<string, unknown>;

/** A plain mapping (not an array, not null). */
export function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Assigns without tripping over `__proto__` keys in free-form data. */
export function setKey(target: PlainObject, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Deep copy of plain data, so results never share structure with their inputs. */
export function clonePlain<T>(v: T): T {
  if (Array.isArray(v)) return v.map((item) => clonePlain(item)) as T;
  if (isPlainObject(v)) {
    const out: PlainObject = {};
    for (const [k, item] of Object.entries(v)) setKey(out, k, clonePlain(item));
    return out as T;
  }
  return v;
}

/** How a value is described in merge errors: `a mapping`, `a list`, `string "x"`, ... */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "a list";
  if (isPlainObject(v)) return "a mapping";
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  if (typeof v === "number") return `number ${v}`;
  if (typeof v === "boolean") return `bool ${v}`;
  return typeof v;
}
