import { formatVersion, type Phase } from "../resource/metadata.ts";
import { formatPointer, type Pointer } from "../resource/pointer.ts";

/**
 * Error kinds of the State API (COSI). Only the edge (the gRPC server) turns them into status codes;
 * everything inside tests kinds with the `is…` guards.
 */

/** The resource does not exist. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
  readonly pointer: Pointer;

  constructor(pointer: Pointer) {
    super(`resource ${formatPointer(pointer)} doesn't exist`);
    this.pointer = pointer;
  }
}

/**
 * Why a write conflicted: the ID is taken (`exists`), the caller's version is stale (`version`), the caller
 * is not the owner (`owner`), the phase is not the expected one (`phase`) or finalizers block a destroy
 * (`finalizers`).
 */
export type ConflictReason = "exists" | "version" | "owner" | "phase" | "finalizers";

/** A write conflicted with the stored resource; `reason` says how. Retry only `version` conflicts. */
export class ConflictError extends Error {
  override readonly name: string = "ConflictError";
  readonly pointer: Pointer;
  readonly reason: ConflictReason;

  constructor(pointer: Pointer, reason: ConflictReason, message: string) {
    super(`resource ${formatPointer(pointer)} ${message}`);
    this.pointer = pointer;
    this.reason = reason;
  }
}

/** The resource is owned by someone else. */
export class OwnerConflictError extends ConflictError {
  override readonly name = "OwnerConflictError";
  readonly currentOwner: string;
  readonly requestedOwner: string;

  constructor(pointer: Pointer, currentOwner: string, requestedOwner: string) {
    super(pointer, "owner", `is owned by ${JSON.stringify(currentOwner)}, not ${JSON.stringify(requestedOwner)}`);
    this.currentOwner = currentOwner;
    this.requestedOwner = requestedOwner;
  }
}

/** The resource is not in the expected phase (by default updates expect `running`). */
export class PhaseConflictError extends ConflictError {
  override readonly name = "PhaseConflictError";
  readonly currentPhase: Phase;
  readonly expectedPhase: Phase;

  constructor(pointer: Pointer, currentPhase: Phase, expectedPhase: Phase) {
    super(pointer, "phase", `is in phase ${currentPhase}, expected ${expectedPhase}`);
    this.currentPhase = currentPhase;
    this.expectedPhase = expectedPhase;
  }
}

/** The ID is taken. */
export function alreadyExists(pointer: Pointer): ConflictError {
  return new ConflictError(pointer, "exists", "already exists");
}

/** The caller's version is not the stored one. */
export function versionConflict(pointer: Pointer, expected: number, actual: number): ConflictError {
  return new ConflictError(
    pointer,
    "version",
    `update conflict: expected version ${formatVersion(expected)}, actual ${formatVersion(actual)}`,
  );
}

/** Destroy is refused while finalizers remain. */
export function pendingFinalizers(pointer: Pointer, finalizers: readonly string[]): ConflictError {
  return new ConflictError(pointer, "finalizers", `has pending finalizers [${finalizers.join(", ")}]`);
}

/** `e` is a `NotFoundError`. */
export function isNotFound(e: unknown): e is NotFoundError {
  return e instanceof NotFoundError;
}

/** `e` is any conflict (version, exists, owner, phase, finalizers). */
export function isConflict(e: unknown): e is ConflictError {
  return e instanceof ConflictError;
}

/** `e` is a stale-version conflict, the only kind worth retrying. */
export function isVersionConflict(e: unknown): e is ConflictError {
  return e instanceof ConflictError && e.reason === "version";
}

/** `e` is an `OwnerConflictError`. */
export function isOwnerConflict(e: unknown): e is OwnerConflictError {
  return e instanceof OwnerConflictError;
}

/** `e` is a `PhaseConflictError`. */
export function isPhaseConflict(e: unknown): e is PhaseConflictError {
  return e instanceof PhaseConflictError;
}
