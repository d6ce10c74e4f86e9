export { endpointHost, validateClusterEndpoint } from "./endpoint.ts";
export type { EncodedCertAndKey, GenerateInput, GenerateSecrets } from "./input.ts";
export { defaultAuditPolicy, defaultPodSecurityConfiguration } from "./kubernetes-defaults.ts";
export {
  type GeneratedMachineType,
  type GenerateMachineConfigOptions,
  generateMachineConfig,
} from "./machine-config.ts";
export {
  type ContractFeatures,
  contractFeatures,
  currentContract,
  parseVersionContract,
  type VersionContract,
} from "./version-contract.ts";
