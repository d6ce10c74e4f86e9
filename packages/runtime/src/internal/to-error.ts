/** Normalises anything thrown into an `Error` (`catch (e: unknown)` always goes through here). */
export function toError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new Error(typeof e === "string" ? e : `non-error thrown: ${String(e)}`);
}
