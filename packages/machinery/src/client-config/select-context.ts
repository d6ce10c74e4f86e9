import { contextNames, hasContext, type TalosConfig, type TalosContext } from "./talos-config.ts";

/** Why a context could not be selected. */
export type TalosContextErrorReason = "no-context-set" | "unknown-context";

/**
 * The talosconfig has no usable context under the requested (or current) name. The message names the file
 * (when known) and lists the contexts it does define.
 */
export class TalosContextError extends Error {
  override readonly name = "TalosContextError";
  readonly reason: TalosContextErrorReason;
  /** The requested name; empty when no context was set. */
  readonly context: string;
  readonly known: readonly string[];

  constructor(reason: TalosContextErrorReason, context: string, known: readonly string[], source?: string) {
    const where = source !== undefined ? ` in ${source}` : "";
    const list =
      known.length === 0
        ? `; it defines no contexts (add one with "talosctl config merge" or "talosctl config add")`
        : `; known contexts: ${known.map((n) => JSON.stringify(n)).join(", ")}`;
    const head =
      reason === "no-context-set"
        ? `no context is set${where}`
        : `context ${JSON.stringify(context)} is not defined${where}`;
    super(head + list);
    this.reason = reason;
    this.context = context;
    this.known = known;
  }
}

/** The result of {@link selectContext}. */
export interface SelectedContext {
  readonly name: string;
  readonly context: TalosContext;
}

/**
 * Picks the context a command works with: `override` (the `--context` flag) when given, else the current
 * context of the config.
 *
 * @param source names the talosconfig file in error messages.
 * @throws {TalosContextError} when no context is set or the name is not defined.
 */
export function selectContext(config: TalosConfig, override?: string, source?: string): SelectedContext {
  const name = override !== undefined && override !== "" ? override : (config.context ?? "");
  if (name === "") throw new TalosContextError("no-context-set", "", contextNames(config), source);
  const context = hasContext(config, name) ? config.contexts[name] : undefined;
  if (context === undefined) throw new TalosContextError("unknown-context", name, contextNames(config), source);
  return { name, context };
}

/** Whether a value is a {@link TalosContextError}. */
export function isTalosContextError(e: unknown): e is TalosContextError {
  return e instanceof TalosContextError;
}
