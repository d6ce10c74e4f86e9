// Config patches: strategic merge and RFC 6902 JSON patches, loaded and applied as Talos 1.6 does.

export {
  applyJsonPatch,
  JSON6902_MULTIDOC_MESSAGE,
  type JsonPatch,
  type JsonPatchOperation,
  jsonPatchSource,
} from "./json-patch.ts";
export {
  applyPatches,
  loadPatch,
  loadPatches,
  type Patch,
  type PatchInput,
  type StrategicMergePatch,
} from "./load-patch.ts";
export { MergeError, mergeValue, strategicMerge } from "./strategic-merge.ts";
