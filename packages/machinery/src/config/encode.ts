/**
 * Encoding machine configs back to YAML, laid out as Talos writes them (4-space indentation, sequences
 * indented under their key, no line folding, documents joined with `---`).
 */
import { type ConfigDocument, type MachineConfig, V1ALPHA1_KIND } from "./document.ts";
import { sourceOf } from "./internal/source-info.ts";
import { findKind } from "./kinds.ts";
import { emitDocument } from "./yaml/emit.ts";
import { reconcileDocument } from "./yaml/reconcile.ts";

export interface EncodeOptions {
  /**
   * `keep` (default): documents decoded from text are written back into that text, so comments and layout
   * survive and unchanged documents are byte-identical; other documents are written plain.
   * `docs`: fresh output with our field docs as comments (`gen config --with-docs`). `none`: plain output.
   */
  readonly comments?: "keep" | "docs" | "none";
  /** With `docs`: also write commented-out examples of absent fields (`gen config --with-examples`). */
  readonly examples?: boolean;
}

/** Writes a machine config as a YAML stream. */
export function encodeConfig(config: MachineConfig, opts: EncodeOptions = {}): string {
  const mode = opts.comments ?? "keep";
  let out = "";
  for (const [i, doc] of config.documents.entries()) {
    const text = encodeDocument(doc, mode, opts.examples ?? false);
    if (i > 0) {
      if (!out.endsWith("\n")) out += "\n";
      if (!/^---(\s|$)/.test(text)) out += "---\n";
    }
    out += text;
  }
  return out;
}

function encodeDocument(doc: ConfigDocument, mode: "keep" | "docs" | "none", examples: boolean): string {
  const schema = findKind(doc.kind, doc.apiVersion)?.schema;
  const value = withMeta(doc);
  if (mode === "keep" && doc.node !== undefined) {
    const src = sourceOf(doc.node);
    if (src !== undefined) return reconcileDocument(doc.node, src, value, schema);
  }
  return emitDocument(value, schema, { docs: mode === "docs", examples: mode === "docs" && examples });
}

/** Typed documents always start with their `apiVersion` and `kind`, whatever the value holds. */
function withMeta(doc: ConfigDocument): Record<string, unknown> {
  if (doc.kind === V1ALPHA1_KIND) return doc.value;
  const { apiVersion, kind, ...rest } = doc.value;
  return { apiVersion: apiVersion ?? doc.apiVersion, kind: kind ?? doc.kind, ...rest };
}
