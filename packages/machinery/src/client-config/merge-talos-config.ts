import type { TalosConfig, TalosContext } from "./talos-config.ts";

/** A context that was stored under another name because its own was taken. */
export interface ContextRename {
  readonly from: string;
  readonly to: string;
}

/** The outcome of {@link mergeTalosConfig}. */
export interface MergeResult {
  readonly config: TalosConfig;
  /** Contexts of `from` stored under a new name, in the order they were merged. */
  readonly renames: readonly ContextRename[];
}

/**
 * Adds every context of `from` to `into`, as `talosctl config merge` does. A context whose name is already
 * taken is stored as `<name>-1`, `<name>-2`, … (the first free suffix). When `from` has a current context,
 * it (under its possibly new name) becomes the current one; a dangling current context in `from` leaves the
 * current context of `into` unchanged. Neither input is modified.
 */
export function mergeTalosConfig(into: TalosConfig, from: TalosConfig): MergeResult {
  const merged = new Map<string, TalosContext>(Object.entries(into.contexts));
  const mapped = new Map<string, string>();
  const renames: ContextRename[] = [];
  for (const [name, context] of Object.entries(from.contexts)) {
    let target = name;
    for (let i = 1; merged.has(target); i++) target = `${name}-${i}`;
    mapped.set(name, target);
    if (target !== name) renames.push({ from: name, to: target });
    merged.set(target, context);
  }
  const fromCurrent = from.context ?? "";
  const current = fromCurrent !== "" ? (mapped.get(fromCurrent) ?? into.context ?? "") : (into.context ?? "");
  return { config: { context: current, contexts: Object.fromEntries(merged) }, renames };
}

/** A rename as talosctl reports it: `"a" -> "a-1"`. */
export function formatRename(rename: ContextRename): string {
  return `${JSON.stringify(rename.from)} -> ${JSON.stringify(rename.to)}`;
}
