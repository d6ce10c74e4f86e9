// Public API of the machine-config module (`@talos/machinery/config`).

export { changedPaths, changesNeedingReboot } from "./apply/immediate.ts";
export { decodeConfig, decodeDocumentValue } from "./decode.ts";
export {
  type ConfigDocument,
  documentKey,
  documentLabel,
  findDocument,
  type MachineConfig,
  V1ALPHA1_KIND,
} from "./document.ts";
export { type EventSinkConfig, eventSinkConfigSchema } from "./documents/event-sink-config.ts";
export { type KmsgLogConfig, kmsgLogConfigSchema } from "./documents/kmsg-log-config.ts";
export {
  type NetworkDefaultActionConfig,
  networkDefaultActionConfigSchema,
} from "./documents/network-default-action-config.ts";
export { type NetworkRuleConfig, networkRuleConfigSchema, portRange } from "./documents/network-rule-config.ts";
export { type SideroLinkConfig, sideroLinkConfigSchema } from "./documents/siderolink-config.ts";
export { type EncodeOptions, encodeConfig } from "./encode.ts";
export {
  ConfigError,
  type ConfigIssue,
  type FieldPath,
  formatIssue,
  formatPath,
  isConfigError,
} from "./errors.ts";
export * from "./generate/index.ts";
export { type DocumentKind, documentKinds, findKind } from "./kinds.ts";
export * from "./patch/index.ts";
export type {
  AnySchema,
  BoolSchema,
  Fields,
  FloatSchema,
  Infer,
  IntSchema,
  ListMerge,
  ListSchema,
  MapSchema,
  NodeMeta,
  ObjectSchema,
  ScalarFormat,
  ScalarUnionSchema,
  Schema,
  StringFormat,
  StringSchema,
} from "./schema/dsl.ts";
export { schemaAt } from "./schema/dsl.ts";
export {
  type APIServerSection,
  type CertAndKey,
  type ClusterNetworkSection,
  type ClusterSection,
  type ControllerManagerSection,
  certAndKeySchema,
  deviceSelectorSchema,
  type EncryptionSection,
  type EtcdSection,
  type FeaturesSection,
  type InstallSection,
  type KubeletSection,
  keyOnlySchema,
  type MachineNetworkSection,
  type MachineSection,
  type NetworkBond,
  type NetworkDevice,
  type NetworkRoute,
  type NetworkVlan,
  networkDeviceSchema,
  type ProxySection,
  type RegistriesSection,
  type SchedulerSection,
  sameAdmissionPlugin,
  sameNetworkDevice,
  sameVlan,
  type V1Alpha1Config,
  v1alpha1Schema,
  v1alpha1Sections,
} from "./v1alpha1/schema.ts";
export { canonicalMachineType, isValidDNSName } from "./v1alpha1/validate.ts";
export {
  assertValidConfig,
  type ValidateOptions,
  type ValidationMode,
  type ValidationResult,
  validateConfig,
} from "./validate.ts";
