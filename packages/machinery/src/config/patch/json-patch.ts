/**
 * RFC 6902 JSON patches, as Talos 1.6 applies them (`configpatcher.JSON6902`): only to a config of exactly
 * one document (the v1alpha1 one in practice), on its plain data. The result is checked strictly against
 * the document's schema again, so a patch cannot smuggle in unknown fields or wrong types.
 */
import jsonPatch, { type Operation } from "fast-json-patch";
import { decodeDocumentValue } from "../decode.ts";
import type { ConfigDocument, MachineConfig } from "../document.ts";
import { V1ALPHA1_KIND } from "../document.ts";
import { ConfigError, isConfigError } from "../errors.ts";
import { findKind } from "../kinds.ts";
import { clonePlain, isPlainObject, type PlainObject } from "./plain.ts";

/** One operation of a JSON patch, with where it came from. */
export interface JsonPatchOperation {
  /** The operation as written: `{op, path, value?, from?}`; checked when applied, as Talos does. */
  readonly operation: PlainObject;
  /** The patch it came from (`@hostname.json`, `--config-patch`). */
  readonly source: string;
  /** Position of the operation in that patch, from 0. */
  readonly index: number;
}

/** An RFC 6902 patch; consecutive JSON patches are concatenated into one, as Talos does. */
export interface JsonPatch {
  readonly type: "json6902";
  readonly operations: readonly JsonPatchOperation[];
}

/** The Talos message for JSON patches on configs that are not a single document. */
export const JSON6902_MULTIDOC_MESSAGE = "JSON6902 patches are not supported for multi-document machine configuration";

/** Names the patches a JSON patch was made of, for messages: `@a.json, @b.yaml`. */
export function jsonPatchSource(patch: JsonPatch): string {
  const sources = [...new Set(patch.operations.map((o) => o.source))];
  return sources.length > 0 ? sources.join(", ") : "JSON patch";
}

/**
 * Applies a JSON patch to a single-document config. The patched document keeps the original YAML `node`,
 * so re-encoding keeps the comments around unchanged fields.
 *
 * @throws {ConfigError} for multi-document configs, for an operation that does not apply (naming its patch,
 * position, op and path) and when the patched document is not a valid machine config document.
 */
export function applyJsonPatch(config: MachineConfig, patch: JsonPatch): MachineConfig {
  const source = jsonPatchSource(patch);
  const doc = config.documents[0];
  if (config.documents.length !== 1 || doc === undefined) {
    throw new ConfigError([], source, `${source}: ${JSON6902_MULTIDOC_MESSAGE}`);
  }
  let result: unknown = clonePlain(doc.value);
  for (const entry of patch.operations) {
    const op = clonePlain(entry.operation) as unknown as Operation;
    try {
      result = jsonPatch.applyOperation(result, op, true, true, true, entry.index).newDocument;
    } catch (e) {
      const label = `patch operation ${entry.index + 1} (${describeOperation(entry.operation)})`;
      throw new ConfigError(
        [{ path: [], message: `${label}: ${failureReason(e, entry.operation, result)}` }],
        entry.source,
        `${entry.source}: patch does not apply`,
      );
    }
  }
  return { documents: [redecode(doc, result, source)] };
}

/** `replace /machine/network/hostname`, `move /a -> /b`. */
function describeOperation(op: PlainObject): string {
  const name = typeof op["op"] === "string" && op["op"] !== "" ? op["op"] : "<no op>";
  const path = typeof op["path"] === "string" ? op["path"] : "<no path>";
  return typeof op["from"] === "string" && (name === "move" || name === "copy")
    ? `${name} ${op["from"]} -> ${path}`
    : `${name} ${path}`;
}

/** Turns fast-json-patch's error codes into what went wrong, in Talos's terms. */
function failureReason(e: unknown, op: PlainObject, doc: unknown): string {
  const code = e instanceof Error ? e.name : "";
  switch (code) {
    case "OPERATION_PATH_UNRESOLVABLE":
      return "path not found";
    case "OPERATION_PATH_CANNOT_ADD":
      return "parent path not found";
    case "OPERATION_FROM_UNRESOLVABLE":
      return `from path ${JSON.stringify(op["from"])} not found`;
    case "OPERATION_FROM_REQUIRED":
      return "missing from";
    case "TEST_OPERATION_FAILED":
      return testFailure(op, doc);
    case "OPERATION_OP_INVALID":
      return op["op"] === undefined ? "missing op" : `unknown op ${JSON.stringify(op["op"])}`;
    case "OPERATION_PATH_INVALID":
      return typeof op["path"] === "string" ? 'path must be empty or start with "/"' : "missing path";
    case "OPERATION_VALUE_REQUIRED":
      return "missing value";
    case "OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED":
      return "value must not contain undefined";
    case "OPERATION_VALUE_OUT_OF_BOUNDS":
      return "list index out of range";
    case "OPERATION_PATH_ILLEGAL_ARRAY_INDEX":
      return "invalid list index";
    case "OPERATION_NOT_AN_OBJECT":
      return "operation must be a mapping";
    default:
      if (e instanceof TypeError && /__proto__|prototype/.test(e.message))
        return "modifying __proto__ or prototype is not allowed";
      return e instanceof Error ? (e.message.split("\n")[0] ?? e.message) : String(e);
  }
}

function testFailure(op: PlainObject, doc: unknown): string {
  const path = typeof op["path"] === "string" ? op["path"] : "";
  let actual: unknown;
  try {
    actual = jsonPatch.getValueByPointer(doc, path);
  } catch {
    actual = undefined;
  }
  if (actual === undefined) return "test failed: path not found";
  return `test failed: value is ${JSON.stringify(actual)}, expected ${JSON.stringify(op["value"])}`;
}

/** Strictly decodes the patched value against its kind (which the patch may have changed). */
function redecode(original: ConfigDocument, value: unknown, source: string): ConfigDocument {
  const head = `${source}: patched machine config is invalid`;
  if (!isPlainObject(value))
    throw new ConfigError([{ path: [], message: "the document must be a mapping" }], source, head);
  const typed = typeof value["kind"] === "string";
  const kind = typed ? (value["kind"] as string) : V1ALPHA1_KIND;
  const apiVersion = typed ? (typeof value["apiVersion"] === "string" ? value["apiVersion"] : "") : undefined;
  let decoded: PlainObject;
  try {
    decoded = decodeDocumentValue(kind, value, { source, ...(apiVersion !== undefined ? { apiVersion } : {}) });
  } catch (e) {
    if (isConfigError(e)) throw new ConfigError(e.issues, source, head);
    throw e;
  }
  const found = findKind(kind, apiVersion);
  const name = found?.named ? (typeof decoded["name"] === "string" ? decoded["name"] : "") : undefined;
  return {
    kind: found?.kind ?? kind,
    apiVersion: found?.apiVersion,
    name,
    value: decoded,
    ...(original.node !== undefined ? { node: original.node } : {}),
  };
}
