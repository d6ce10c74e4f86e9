import { Code, ConnectError } from "@connectrpc/connect";
import { CliError } from "../cli/errors.ts";

const GO_CODE_NAMES: Record<number, string> = {
  [Code.Canceled]: "Canceled",
  [Code.Unknown]: "Unknown",
  [Code.InvalidArgument]: "InvalidArgument",
  [Code.DeadlineExceeded]: "DeadlineExceeded",
  [Code.NotFound]: "NotFound",
  [Code.AlreadyExists]: "AlreadyExists",
  [Code.PermissionDenied]: "PermissionDenied",
  [Code.ResourceExhausted]: "ResourceExhausted",
  [Code.FailedPrecondition]: "FailedPrecondition",
  [Code.Aborted]: "Aborted",
  [Code.OutOfRange]: "OutOfRange",
  [Code.Unimplemented]: "Unimplemented",
  [Code.Internal]: "Internal",
  [Code.Unavailable]: "Unavailable",
  [Code.DataLoss]: "DataLoss",
  [Code.Unauthenticated]: "Unauthenticated",
};

/** A gRPC error as Talos's Go client prints it: `rpc error: code = X desc = ...`. */
export function formatRpcError(e: ConnectError): string {
  return `rpc error: code = ${GO_CODE_NAMES[e.code] ?? `Code(${e.code})`} desc = ${e.rawMessage}`;
}

/** Turns API failures into CLI errors with Talos's wording, adding a hint where TLS hides the cause. */
export function toCliError(e: unknown, what?: string): unknown {
  if (!(e instanceof ConnectError)) return e;
  let msg = formatRpcError(e);
  if (/certificate|alert|handshake|ECONNRESET|stream closed/i.test(e.rawMessage)) {
    msg +=
      " (the node refused the TLS handshake: check that the talosconfig's certificate is signed by the cluster's OS CA)";
  }
  return new CliError(what !== undefined ? `${what}: ${msg}` : msg);
}

/** Node errors embedded in a multi-node reply, printed as Talos's multierror does. */
export function multiNodeError(errors: readonly { node: string; error: string }[]): CliError {
  const n = errors.length;
  const list = errors.map((e) => `\t* ${e.node}: ${e.error}`).join("\n");
  return new CliError(`${n} error${n === 1 ? "" : "s"} occurred:\n${list}`);
}
