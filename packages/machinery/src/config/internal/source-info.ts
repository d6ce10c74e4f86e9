import type { Document, LineCounter } from "yaml";

/** Where a decoded document came from: kept so an edited config can be re-encoded by splicing its text. */
export interface DocumentSource {
  /** The whole source stream. */
  readonly text: string;
  /** This document's slice of `text` (with its `---` and any empty documents around it). */
  readonly start: number;
  readonly end: number;
  /** The value as decoded, to tell what the caller changed. */
  readonly decoded: Record<string, unknown>;
  readonly lineCounter: LineCounter;
}

const sources = new WeakMap<Document, DocumentSource>();

export function rememberSource(doc: Document, info: DocumentSource): void {
  sources.set(doc, info);
}

export function sourceOf(doc: Document): DocumentSource | undefined {
  return sources.get(doc);
}
