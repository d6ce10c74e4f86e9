import { ROLE_ADMIN, ROLE_ETCD_BACKUP, ROLE_IMPERSONATOR, ROLE_OPERATOR, ROLE_READER } from "../constants/index.ts";

/** Every role Talos knows; with RBAC disabled a caller holds all of them. */
export const ALL_ROLES: readonly string[] = [
  ROLE_ADMIN,
  ROLE_OPERATOR,
  ROLE_READER,
  ROLE_ETCD_BACKUP,
  ROLE_IMPERSONATOR,
];

const ADMIN = [ROLE_ADMIN];
const OPERATOR = [ROLE_ADMIN, ROLE_OPERATOR];
const READER = [ROLE_ADMIN, ROLE_OPERATOR, ROLE_READER];
const SNAPSHOT = [ROLE_ADMIN, ROLE_OPERATOR, ROLE_ETCD_BACKUP];

const machine = (names: string[], roles: readonly string[]) =>
  names.map((n) => [`/machine.MachineService/${n}`, roles] as const);

/**
 * Which roles may call each method (machined's authorizer table in Talos 1.6). A caller needs one of
 * them; methods not listed need `os:admin`.
 */
export const METHOD_ROLES: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...machine(
    [
      "ApplyConfiguration",
      "Bootstrap",
      "Copy",
      "EtcdForfeitLeadership",
      "EtcdLeaveCluster",
      "EtcdRecover",
      "EtcdRemoveMember",
      "EtcdRemoveMemberByID",
      "GenerateClientConfiguration",
      "GenerateConfiguration",
      "Kubeconfig",
      "MetaWrite",
      "MetaDelete",
      "Read",
      "Reset",
      "Rollback",
      "Upgrade",
    ],
    ADMIN,
  ),
  ...machine(
    [
      "EtcdAlarmList",
      "EtcdAlarmDisarm",
      "EtcdDefragment",
      "EtcdStatus",
      "ImagePull",
      "PacketCapture",
      "Reboot",
      "Restart",
      "ServiceRestart",
      "ServiceStart",
      "ServiceStop",
      "Shutdown",
    ],
    OPERATOR,
  ),
  ...machine(["EtcdSnapshot"], SNAPSHOT),
  ...machine(
    [
      "CPUInfo",
      "Containers",
      "DiskStats",
      "DiskUsage",
      "Dmesg",
      "EtcdMemberList",
      "Events",
      "Hostname",
      "ImageList",
      "List",
      "LoadAvg",
      "Logs",
      "Memory",
      "Mounts",
      "NetworkDeviceStats",
      "Netstat",
      "Processes",
      "ServiceList",
      "Stats",
      "SystemStat",
      "Version",
    ],
    READER,
  ),
  ["/cluster.ClusterService/HealthCheck", READER],
  ["/inspect.InspectService/ControllerRuntimeDependencies", READER],
  ["/storage.StorageService/Disks", READER],
  ["/time.TimeService/Time", READER],
  ["/time.TimeService/TimeCheck", READER],
  ["/cosi.resource.State/Get", READER],
  ["/cosi.resource.State/List", READER],
  ["/cosi.resource.State/Watch", READER],
  ["/cosi.resource.State/Create", ADMIN],
  ["/cosi.resource.State/Update", ADMIN],
  ["/cosi.resource.State/Destroy", ADMIN],
]);

/** The roles allowed to call a method (`/package.Service/Method`). */
export function allowedRoles(method: string): readonly string[] {
  return METHOD_ROLES.get(method) ?? ADMIN;
}

/** Whether a caller holding `roles` may call `method`. */
export function isAuthorized(method: string, roles: Iterable<string>): boolean {
  const allowed = allowedRoles(method);
  for (const r of roles) if (allowed.includes(r)) return true;
  return false;
}

/**
 * The roles a client certificate grants: its Organization entries (blank ones dropped). Unknown strings are
 * kept; they simply match nothing.
 */
export function rolesFromOrganization(organization: readonly string[]): string[] {
  return [...new Set(organization.map((o) => o.trim()).filter((o) => o !== ""))];
}

/**
 * The effective roles of a call arriving at apid: the certificate's, unless it holds `os:impersonator` and
 * the call asserts roles in `talos-role` metadata (a control plane apid forwarding another caller's call).
 */
export function effectiveRoles(certRoles: readonly string[], asserted: readonly string[] | undefined): string[] {
  if (certRoles.includes(ROLE_IMPERSONATOR) && asserted !== undefined && asserted.length > 0) {
    return rolesFromOrganization(asserted);
  }
  return [...certRoles];
}
