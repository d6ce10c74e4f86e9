/**
 * A small JSONPath evaluator for print columns and `-o jsonpath`: `{.a.b}`, `{.list[0]}`, `{.list[*].x}`.
 * Returns the values found (none when the path misses).
 */
export function evalJsonPath(value: unknown, expr: string): unknown[] {
  const m = /^\{(.*)\}$/.exec(expr.trim());
  const path = (m?.[1] ?? expr).trim();
  if (path === "" || path === ".") return [value];
  let current: unknown[] = [value];
  const steps = path.replace(/^\$/, "").match(/\.[^.[]+|\[[^\]]*\]/g) ?? [];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.startsWith(".")) {
        const key = step.slice(1);
        if (v !== null && typeof v === "object" && !Array.isArray(v) && key in v) {
          next.push((v as Record<string, unknown>)[key]);
        }
      } else if (Array.isArray(v)) {
        const inner = step.slice(1, -1);
        if (inner === "*") next.push(...v);
        else if (/^-?\d+$/.test(inner)) {
          const i = Number(inner);
          const item = v[i < 0 ? v.length + i : i];
          if (item !== undefined) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}

/** A value as kubectl-style JSONPath prints it: scalars plain, collections as JSON. */
export function formatJsonPathValue(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v);
}
