// Public API of the role module (`@talos/machinery/role`): Talos API roles and the method authorization table.
export { ALL_ROLES, allowedRoles, effectiveRoles, isAuthorized, METHOD_ROLES, rolesFromOrganization } from "./roles.ts";
