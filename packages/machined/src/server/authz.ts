import { Code, ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";
import { isAuthorized } from "@talos/machinery/role";

/** The caller's roles, as apid asserted them in `talos-role` metadata. */
export const callerRolesKey = createContextKey<readonly string[]>([]);

/** Roles carried by `talos-role` metadata (repeated or comma-joined). */
export function rolesFromHeader(headers: Headers): string[] {
  const raw = headers.get("talos-role");
  if (raw === null) return [];
  return raw
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
}

/**
 * machined's authorizer: every method needs one of its allowed roles (unlisted methods need `os:admin`);
 * apid is the only client of this socket and always sets `talos-role`.
 */
export const authorize: Interceptor = (next) => async (req) => {
  const roles = rolesFromHeader(req.header);
  const method = `/${req.service.typeName}/${req.method.name}`;
  if (!isAuthorized(method, roles)) throw new ConnectError("not authorized", Code.PermissionDenied);
  req.contextValues.set(callerRolesKey, roles);
  return next(req);
};
