import { ControllerAccessError, type Input, type Output } from "../controller/controller.ts";
import type { Kind } from "../resource/pointer.ts";

/** What a controller declared, as the access checks see it. */
export interface Declared {
  readonly name: string;
  readonly inputs: readonly Input[];
  readonly outputs: readonly Output[];
}

/** Whether `type` is one of the declared outputs. */
export function isOutput(d: Declared, type: string): boolean {
  return d.outputs.some((o) => o.type === type);
}

/**
 * Reads are allowed on outputs (any namespace) and on inputs; a list (`id` undefined) needs an input
 * without an ID (COSI).
 */
export function checkRead(d: Declared, kind: Kind, id: string | undefined): void {
  if (isOutput(d, kind.type)) return;
  const allowed = d.inputs.some(
    (i) => i.namespace === kind.namespace && i.type === kind.type && (i.id === undefined || i.id === id),
  );
  if (!allowed) {
    const what = id === undefined ? `${kind.namespace}/${kind.type}` : `${kind.namespace}/${kind.type}/${id}`;
    throw new ControllerAccessError(d.name, `read of ${what} refused: not a declared input or output`);
  }
}

/** Writes are allowed on declared output types only. */
export function checkWrite(d: Declared, op: string, kind: Kind, id: string): void {
  if (isOutput(d, kind.type)) return;
  throw new ControllerAccessError(
    d.name,
    `${op} of ${kind.namespace}/${kind.type}/${id} refused: type ${JSON.stringify(kind.type)} is not a declared output`,
  );
}

/** Finalizers may be changed on `strong` inputs only. */
export function checkFinalizer(d: Declared, kind: Kind, id: string): void {
  const allowed = d.inputs.some(
    (i) =>
      i.kind === "strong" &&
      i.namespace === kind.namespace &&
      i.type === kind.type &&
      (i.id === undefined || i.id === id),
  );
  if (!allowed) {
    throw new ControllerAccessError(
      d.name,
      `finalizer change on ${kind.namespace}/${kind.type}/${id} refused: not a declared strong input`,
    );
  }
}
