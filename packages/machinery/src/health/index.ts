// Public API of the health module (`@talos/machinery/health`): Talos's default cluster checks.
export { type ClusterNodes, defaultHealthChecks, type HealthCheck, runHealthChecks } from "./checks.ts";
export { discoverNodesFromMembers, nodesFromMembers } from "./members.ts";
