/**
 * Talos 1.6 strategic merge patches (`pkg/machinery/config/merge` + `configpatcher.StrategicMerge`),
 * driven by the schema DSL instead of Go reflection:
 *
 * - scalars in the patch overwrite, unless they are the zero value (`""`, `0`); a bool always overwrites,
 *   `false` included; absent (and `null`) patch values are ignored;
 * - a section absent from the config is taken from the patch as is;
 * - mappings merge per key, recursively, unless the schema says `replace`;
 * - lists are appended to, unless the schema says `replace` (the patch list wins) or gives a keyed
 *   `{match}` merge (an item matching an existing one is merged into it, others are appended);
 * - free-form values (`any`) merge deeply by the same rules, lists appending, and a key whose values have
 *   different types on both sides is an error, as in Go;
 * - documents are matched by `apiVersion/kind[/name]`; patch documents without a match are appended.
 *
 * There is no deletion syntax (`$patch: delete` arrived in Talos 1.8). Nothing here mutates its inputs.
 */
import { type ConfigDocument, documentKey, documentLabel, type MachineConfig, V1ALPHA1_KIND } from "../document.ts";
import { ConfigError, type FieldPath } from "../errors.ts";
import { findKind } from "../kinds.ts";
import type { Schema } from "../schema/dsl.ts";
import { clonePlain, describeValue, isPlainObject, type PlainObject, setKey } from "./plain.ts";

/** A strategic merge that cannot be done (only free-form values with mismatched types get here). */
export class MergeError extends Error {
  override readonly name = "MergeError";
  readonly path: FieldPath;

  constructor(path: FieldPath, message: string) {
    super(message);
    this.path = path;
  }
}

/**
 * Merges a patch value into a config value by the rules of the schema node (free-form when `undefined`).
 * Returns a fresh value; `undefined` means the field stays absent.
 *
 * @throws {MergeError} when free-form values of different types meet at the same key.
 */
export function mergeValue(base: unknown, patch: unknown, schema: Schema | undefined, path: FieldPath = []): unknown {
  if (patch === undefined || patch === null) return clonePlain(base);
  if (schema === undefined || schema.kind === "any") {
    if (schema?.replace) return clonePlain(patch);
    return mergeFreeForm(base, patch, path);
  }
  switch (schema.kind) {
    case "object": {
      if (base === undefined || base === null || schema.replace) return clonePlain(patch);
      if (!isPlainObject(base) || !isPlainObject(patch)) return mismatch(base, patch, path);
      const out = clonePlain(base);
      for (const [key, value] of Object.entries(patch)) {
        const field = Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined;
        assign(out, key, mergeValue(out[key], value, field, [...path, key]));
      }
      return out;
    }
    case "map": {
      if (base === undefined || base === null || schema.replace) return clonePlain(patch);
      if (!isPlainObject(base) || !isPlainObject(patch)) return mismatch(base, patch, path);
      const out = clonePlain(base);
      for (const [key, value] of Object.entries(patch)) {
        const existing = Object.hasOwn(out, key) ? out[key] : undefined;
        // Go: a key missing on the left (or nil there) takes the patch value as is, zero values included.
        if (existing === undefined || existing === null) setKey(out, key, clonePlain(value));
        else assign(out, key, mergeValue(existing, value, schema.of, [...path, key]));
      }
      return out;
    }
    case "list": {
      if (!Array.isArray(patch)) return mismatch(base, patch, path);
      if (base !== undefined && base !== null && !Array.isArray(base)) return mismatch(base, patch, path);
      const existing = (base ?? undefined) as unknown[] | undefined;
      const merge = schema.merge;
      if (merge === "replace") return clonePlain(patch);
      if (merge === "append") return [...clonePlain(existing ?? []), ...clonePlain(patch)];
      // Keyed merge (Talos's custom `Merge` methods): each patch item merges into the first item it matches,
      // looking at items appended by earlier patch items too; an item that matches nothing is appended.
      if (existing === undefined && patch.length === 0) return undefined;
      const out = clonePlain(existing ?? []);
      for (const item of patch) {
        const at = out.findIndex((e) => merge.match(e, item));
        if (at >= 0) out[at] = mergeValue(out[at], item, schema.of, [...path, at]);
        else out.push(clonePlain(item));
      }
      return out;
    }
    case "bool":
      return patch;
    default:
      // string, int, float and scalar unions: zero values do not override.
      return isZeroScalar(patch) ? clonePlain(base) : patch;
  }
}

/** Go's zero values for scalars; `false` is not one here, since a bool always overrides. */
function isZeroScalar(v: unknown): boolean {
  return v === "" || v === 0;
}

function assign(target: PlainObject, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else setKey(target, key, value);
}

function mismatch(base: unknown, patch: unknown, path: FieldPath): never {
  throw new MergeError(path, `cannot merge ${describeValue(patch)} into ${describeValue(base)}`);
}

type FreeKind = "mapping" | "list" | "string" | "number" | "bool" | "other";

function freeKind(v: unknown): FreeKind {
  if (Array.isArray(v)) return "list";
  if (isPlainObject(v)) return "mapping";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  return "other";
}

/** Go's merge of `map[string]any` values (Talos `Unstructured`). */
function mergeFreeForm(base: unknown, patch: unknown, path: FieldPath): unknown {
  if (patch === undefined || patch === null) return clonePlain(base);
  if (base === undefined || base === null) return clonePlain(patch);
  const kind = freeKind(base);
  if (kind !== freeKind(patch)) return mismatch(base, patch, path);
  switch (kind) {
    case "mapping": {
      const out = clonePlain(base as PlainObject);
      for (const [key, value] of Object.entries(patch as PlainObject)) {
        const existing = Object.hasOwn(out, key) ? out[key] : undefined;
        if (existing === undefined || existing === null) setKey(out, key, clonePlain(value));
        else setKey(out, key, mergeFreeForm(existing, value, [...path, key]));
      }
      return out;
    }
    case "list":
      return [...clonePlain(base as unknown[]), ...clonePlain(patch as unknown[])];
    case "bool":
      return patch;
    default:
      return isZeroScalar(patch) ? base : patch;
  }
}

/** The schema of a document kind, if the kind is known. */
function documentSchema(doc: Pick<ConfigDocument, "kind" | "apiVersion">): Schema | undefined {
  return findKind(doc.kind, doc.apiVersion)?.schema;
}

function cloneDocument(doc: ConfigDocument): ConfigDocument {
  return { ...doc, value: clonePlain(doc.value) };
}

/**
 * Applies a strategic merge patch (a partial machine config, possibly multi-document) to a config. Each
 * patch document merges into the config document with the same `apiVersion/kind[/name]`, keeping that
 * document's YAML `node` (so comments survive re-encoding); unmatched patch documents are appended.
 *
 * @param source names the patch in errors (`@worker1.patch`, `--config-patch`).
 * @throws {ConfigError} naming the patch and the field when the patch cannot be merged.
 */
export function strategicMerge(config: MachineConfig, patch: MachineConfig, source?: string): MachineConfig {
  const documents = config.documents.map(cloneDocument);
  const index = new Map(documents.map((d, i) => [documentKey(d), i]));
  for (const p of patch.documents) {
    const at = index.get(documentKey(p));
    const target = at !== undefined ? documents[at] : undefined;
    if (at === undefined || target === undefined) {
      documents.push(cloneDocument(p));
      continue;
    }
    let value: unknown;
    try {
      value = mergeValue(target.value, p.value, documentSchema(target));
    } catch (e) {
      if (!(e instanceof MergeError)) throw e;
      const head = source !== undefined ? `${source}: patch does not apply` : "patch does not apply";
      throw new ConfigError([{ path: e.path, message: e.message, document: documentLabel(target) }], source, head);
    }
    documents[at] = { ...target, value: isPlainObject(value) ? value : {} };
  }
  // Talos writes the v1alpha1 document first, even when a patch added it.
  const v1 = documents.findIndex((d) => d.kind === V1ALPHA1_KIND);
  if (v1 > 0) documents.unshift(...documents.splice(v1, 1));
  return { documents };
}
