/**
 * An error a user caused (bad flag, bad file, refused overwrite). talosctl prints its message alone,
 * without a stack trace, and exits 1.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Normalises anything thrown into a printable message. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
