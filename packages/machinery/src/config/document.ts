import type { Document } from "yaml";

/** The pseudo-kind of the legacy v1alpha1 document (it has `version: v1alpha1` and no `kind`). */
export const V1ALPHA1_KIND = "v1alpha1";

/**
 * One document of a machine config: the v1alpha1 document or a typed document (`apiVersion` + `kind`).
 * `value` is the decoded plain data in source key order; `node` is the parsed YAML, kept so that
 * re-encoding an edited config keeps the user's comments.
 */
export interface ConfigDocument {
  /** `v1alpha1` for the legacy document, else the typed document's kind, e.g. `NetworkRuleConfig`. */
  readonly kind: string;
  /** `undefined` for the legacy v1alpha1 document. */
  readonly apiVersion: string | undefined;
  /** Name of a named document kind (`KmsgLogConfig`, `NetworkRuleConfig`), else `undefined`. */
  readonly name: string | undefined;
  readonly value: Record<string, unknown>;
  readonly node?: Document;
}

/** A machine config: a YAML stream of documents, at most one of them v1alpha1. */
export interface MachineConfig {
  readonly documents: readonly ConfigDocument[];
}

/** The identity Talos uses to match a patch document with a config document: `apiVersion/kind[/name]`. */
export function documentKey(doc: Pick<ConfigDocument, "kind" | "apiVersion" | "name">): string {
  if (doc.kind === V1ALPHA1_KIND) return V1ALPHA1_KIND;
  return [doc.apiVersion ?? "", doc.kind, ...(doc.name !== undefined ? [doc.name] : [])].join("/");
}

/** Human label for messages: `v1alpha1`, `NetworkRuleConfig`, `NetworkRuleConfig/ingress-http`. */
export function documentLabel(doc: Pick<ConfigDocument, "kind" | "name">): string {
  return doc.name !== undefined ? `${doc.kind}/${doc.name}` : doc.kind;
}

export function findDocument(config: MachineConfig, kind: string, name?: string): ConfigDocument | undefined {
  return config.documents.find((d) => d.kind === kind && (name === undefined || d.name === name));
}
