// Reading dockerode errors: the engine's own message, and whether something simply does not exist.

interface ApiError {
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

/** The engine's message for a failed call (dockerode wraps it as "(HTTP code 409) conflict - …"). */
export function apiMessage(err: unknown): string {
  if (typeof err !== "object" || err === null) return String(err);
  const e = err as ApiError;
  const msg = e.json?.message;
  if (typeof msg === "string" && msg.trim() !== "") return msg.trim();
  return (e.message ?? String(err)).trim();
}

/** Whether a call failed with 404 (no such container, network, image or volume). */
export function isNotFound(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as ApiError).statusCode === 404;
}
