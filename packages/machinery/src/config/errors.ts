/** A path into a document: object keys, map keys and list indexes. */
export type FieldPath = readonly (string | number)[];

/** Renders a path the way users write it: `machine.network.interfaces[0].addresses`. */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** One problem found in a config: where it is and what was expected. */
export interface ConfigIssue {
  /** Field path inside the document, empty for document-level problems. */
  readonly path: FieldPath;
  readonly message: string;
  /** The document the issue is about, e.g. `v1alpha1` or `NetworkRuleConfig/ingress-http`. */
  readonly document?: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = formatPath(issue.path);
  const doc = issue.document !== undefined && issue.document !== "v1alpha1" ? `${issue.document}: ` : "";
  return where === "" ? `${doc}${issue.message}` : `${doc}${where}: ${issue.message}`;
}

/**
 * Thrown when a config (or patch, or secrets bundle) cannot be decoded or fails validation.
 * `source` names the file or flag it came from, so every message says where to look.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly issues: readonly ConfigIssue[];
  readonly source: string | undefined;

  constructor(issues: readonly ConfigIssue[], source?: string, summary?: string) {
    const head = summary ?? (source !== undefined ? `${source}: invalid configuration` : "invalid configuration");
    const body = issues.map((i) => `  * ${formatIssue(i)}`).join("\n");
    super(issues.length === 0 ? head : `${head}:\n${body}`);
    this.issues = issues;
    this.source = source;
  }
}

export function isConfigError(e: unknown): e is ConfigError {
  return e instanceof ConfigError;
}
