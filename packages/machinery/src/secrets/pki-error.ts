/**
 * Thrown when PKI material (PEM, keys, certificates, CSRs) cannot be parsed or does not fit together.
 * The message is `<what>: <detail>`, e.g. `CA key: unsupported PEM type "FOO"`; callers that already say
 * where the value came from (a field path) can use `detail` alone.
 */
export class PkiError extends Error {
  override readonly name = "PkiError";
  /** What was being read, e.g. `OS CA certificate`; empty when the detail stands alone. */
  readonly what: string;
  /** What was wrong with it. */
  readonly detail: string;

  constructor(what: string, detail: string) {
    super(what === "" ? detail : `${what}: ${detail}`);
    this.what = what;
    this.detail = detail;
  }
}

/** Type guard for {@link PkiError}. */
export function isPkiError(e: unknown): e is PkiError {
  return e instanceof PkiError;
}
