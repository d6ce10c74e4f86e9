import { findDocument, type MachineConfig, V1ALPHA1_KIND } from "../document.ts";

/** Parts of the v1alpha1 document a running node applies without a reboot (Talos 1.6). */
const LIVE_PATHS: readonly string[] = [
  "debug",
  "cluster",
  "machine.time",
  "machine.certSANs",
  "machine.install",
  "machine.network",
  "machine.sysfs",
  "machine.sysctls",
  "machine.logging",
  "machine.controlPlane",
  "machine.kubelet",
  "machine.kernel",
  "machine.registries",
  "machine.pods",
  "machine.seccompProfiles",
  "machine.nodeLabels",
  "machine.nodeTaints",
  "machine.features.kubernetesTalosAPIAccess",
  "machine.features.kubePrism",
];

/**
 * The changed fields of the v1alpha1 document that need a reboot to apply (empty: the new config can be
 * applied live). Other documents always apply live.
 */
export function changesNeedingReboot(current: MachineConfig, next: MachineConfig): string[] {
  const a = findDocument(current, V1ALPHA1_KIND)?.value ?? {};
  const b = findDocument(next, V1ALPHA1_KIND)?.value ?? {};
  return changedPaths(a, b, "").filter((p) => !LIVE_PATHS.some((live) => p === live || p.startsWith(`${live}.`)));
}

/** Dotted paths where two decoded YAML trees differ, down to the first differing key. */
export function changedPaths(a: unknown, b: unknown, prefix: string): string[] {
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => changedPaths(a[k], b[k], prefix === "" ? k : `${prefix}.${k}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
