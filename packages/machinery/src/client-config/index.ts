// Public API of the client configuration module (`@talos/machinery/client-config`): the talosconfig model.

export { decodeTalosConfig } from "./decode-talos-config.ts";
export { compareGoYamlKeys, encodeTalosConfig } from "./encode-talos-config.ts";
export { type GenerateTalosConfigOptions, generateTalosConfig } from "./generate-talos-config.ts";
export { type ContextRename, formatRename, type MergeResult, mergeTalosConfig } from "./merge-talos-config.ts";
export { joinHostPort, normalizeEndpoint, normalizeEndpoints, reduceUrlToAddress } from "./normalize-endpoint.ts";
export {
  isTalosContextError,
  type SelectedContext,
  selectContext,
  TalosContextError,
  type TalosContextErrorReason,
} from "./select-context.ts";
export {
  type BasicAuth,
  compareBytewise,
  contextNames,
  emptyTalosConfig,
  hasContext,
  type NewTalosConfigOptions,
  newTalosConfig,
  type SideroV1Auth,
  type TalosAuth,
  type TalosConfig,
  type TalosContext,
  toBase64,
  withContext,
  withoutContexts,
} from "./talos-config.ts";
