import { CURRENT_CONTRACT } from "../../constants/index.ts";

/**
 * The Talos version a config is generated for (`--talos-version`). Generation is backwards compatible:
 * an older contract leaves out features that release did not have; the default is the current release.
 */
export interface VersionContract {
  readonly major: number;
  readonly minor: number;
}

export const currentContract: VersionContract = CURRENT_CONTRACT;

/** Parses `v1.5`, `1.5.3`, `v1.6.0-alpha.1` into a contract; anything else is an error naming the flag. */
export function parseVersionContract(version: string): VersionContract {
  const m = /^v?(\d+)\.(\d+)($|\.|-)/.exec(version.trim());
  if (m === null) {
    throw new Error(`invalid talos-version ${JSON.stringify(version)}: expected a version like v1.6 or v1.5.3`);
  }
  const contract = { major: Number(m[1]), minor: Number(m[2]) };
  // A newer release than ours gets our (current) behaviour: we cannot generate features we don't know.
  return isGreater(contract, currentContract) ? currentContract : contract;
}

function isGreater(a: VersionContract, b: VersionContract): boolean {
  return a.major > b.major || (a.major === b.major && a.minor > b.minor);
}

/** True when the contract is newer than `major.minor` (Talos's `Greater`). */
export function contractAfter(contract: VersionContract, major: number, minor: number): boolean {
  return isGreater(contract, { major, minor });
}

/** The features that depend on the contract, named as Talos names them. */
export function contractFeatures(c: VersionContract) {
  return {
    ecdsaKeys: contractAfter(c, 0, 8),
    aggregatorCA: contractAfter(c, 0, 8),
    serviceAccount: contractAfter(c, 0, 8),
    rbac: contractAfter(c, 0, 10),
    podSecurityAdmission: contractAfter(c, 1, 0),
    stableHostname: contractAfter(c, 1, 1),
    kubeletDefaultRuntimeSeccompProfile: contractAfter(c, 1, 1),
    allowSchedulingOnControlPlanesField: contractAfter(c, 1, 1),
    kubernetesDiscoveryBackendDisabled: contractAfter(c, 1, 1),
    apidExtKeyUsageCheck: contractAfter(c, 1, 2),
    apiServerAuditPolicy: contractAfter(c, 1, 2),
    kubeletManifestsDirectoryDisabled: contractAfter(c, 1, 2),
    secretboxEncryption: contractAfter(c, 1, 2),
    diskQuotaSupport: contractAfter(c, 1, 4),
    kubePrism: contractAfter(c, 1, 5),
  };
}

export type ContractFeatures = ReturnType<typeof contractFeatures>;
