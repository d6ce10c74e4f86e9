/**
 * Loading and applying config patches the way Talos 1.6 does (`configpatcher.LoadPatch`, `LoadPatches`,
 * `Apply`): a patch is first read as a partial machine config (strategic merge, strict keys, may be
 * multi-document), else as an RFC 6902 JSON patch written in JSON, else as one written in YAML.
 */
import { isAlias, isMap, isScalar, isSeq, type Node, parseDocument } from "yaml";
import { decodeConfig } from "../decode.ts";
import type { MachineConfig } from "../document.ts";
import { ConfigError, isConfigError } from "../errors.ts";
import { resolvePlainScalar } from "../internal/go-scalar.ts";
import { applyJsonPatch, type JsonPatch, type JsonPatchOperation } from "./json-patch.ts";
import { isPlainObject, type PlainObject, setKey } from "./plain.ts";
import { strategicMerge } from "./strategic-merge.ts";

/** A strategic merge patch: a partial machine config, merged document by document. */
export interface StrategicMergePatch {
  readonly type: "strategic-merge";
  /** Where the patch came from (`@worker1.patch`, `--config-patch`), for messages. */
  readonly source: string;
  readonly config: MachineConfig;
}

/** A loaded config patch. */
export type Patch = StrategicMergePatch | JsonPatch;

/** Patch text with a name for messages: `@file` for files, the flag for inline values. */
export interface PatchInput {
  readonly text: string;
  readonly source: string;
}

/**
 * Detects the format of a patch and loads it: (1) a strategic merge patch (any subset of a machine config,
 * unknown keys are errors), (2) else a JSON patch in JSON, (3) else a JSON patch in YAML (a list of
 * `{op, path, value}` mappings). When none fits, the strategic merge error is reported, or the JSON error
 * if the text looks like JSON (starts with `[`), as Talos does.
 *
 * @throws {ConfigError} naming `source`.
 */
export function loadPatch(text: string, source: string): Patch {
  let strategicError: ConfigError;
  try {
    return { type: "strategic-merge", source, config: decodeConfig(text, source) };
  } catch (e) {
    if (!isConfigError(e)) throw e;
    strategicError = new ConfigError(e.issues, source, `${source}: invalid config patch`);
  }

  const json = parseJsonPatch(text);
  if (json.ok) return jsonPatchOf(json.operations, source);

  const yaml = parseYamlPatch(text);
  if (yaml !== undefined) return jsonPatchOf(yaml, source);
  if (text.trimStart().startsWith("["))
    throw new ConfigError([], source, `${source}: invalid JSON patch: ${json.error}`);
  throw strategicError;
}

/**
 * Loads patches in order, concatenating consecutive JSON patches into one (as Talos's `LoadPatches`), so
 * that a JSON patch split over several flags applies as one.
 *
 * @throws {ConfigError} for the first patch that cannot be loaded.
 */
export function loadPatches(inputs: readonly PatchInput[]): Patch[] {
  const out: Patch[] = [];
  for (const input of inputs) {
    const patch = loadPatch(input.text, input.source);
    const last = out[out.length - 1];
    if (patch.type === "json6902" && last?.type === "json6902") {
      out[out.length - 1] = { type: "json6902", operations: [...last.operations, ...patch.operations] };
    } else {
      out.push(patch);
    }
  }
  return out;
}

/**
 * Applies patches in order. Strategic merges keep each document's YAML `node`, so encoding the result with
 * `comments: "keep"` keeps the user's comments.
 *
 * @throws {ConfigError} naming the patch that does not apply and what failed.
 */
export function applyPatches(config: MachineConfig, patches: readonly Patch[]): MachineConfig {
  let out = config;
  for (const patch of patches) {
    out =
      patch.type === "strategic-merge" ? strategicMerge(out, patch.config, patch.source) : applyJsonPatch(out, patch);
  }
  return out;
}

function jsonPatchOf(operations: readonly PlainObject[], source: string): JsonPatch {
  return {
    type: "json6902",
    operations: operations.map((operation, index): JsonPatchOperation => ({ operation, source, index })),
  };
}

type JsonParse =
  | { readonly ok: true; readonly operations: PlainObject[] }
  | { readonly ok: false; readonly error: string };

/** A JSON array of operation objects (`null` items count as empty operations, as in Go). */
function parseJsonPatch(text: string): JsonParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  if (!Array.isArray(parsed)) return { ok: false, error: "expected a list of operations" };
  const operations: PlainObject[] = [];
  for (const [i, item] of parsed.entries()) {
    if (item === null) operations.push({});
    else if (isPlainObject(item)) operations.push(item);
    else return { ok: false, error: `operation ${i + 1} is not an object` };
  }
  return { ok: true, operations };
}

/** A YAML list of mappings, read with yaml.v3's scalar typing; `undefined` when the text is not one. */
function parseYamlPatch(text: string): PlainObject[] | undefined {
  const doc = parseDocument(text, { version: "1.2" });
  if (doc.errors.length > 0) return undefined;
  const root = resolve(doc.contents as Node | null, doc);
  if (root === null || (isScalar(root) && toPlain(root, doc) === null)) return [];
  if (!isSeq(root)) return undefined;
  const operations: PlainObject[] = [];
  for (const item of root.items) {
    const node = resolve(item as Node | null, doc);
    const value = node === null ? null : toPlain(node, doc);
    if (value === null) operations.push({});
    else if (isMap(node) && isPlainObject(value)) operations.push(value);
    else return undefined;
  }
  return operations;
}

type Doc = ReturnType<typeof parseDocument>;

function resolve(node: Node | null | undefined, doc: Doc): Node | null {
  let n: Node | null | undefined = node;
  for (let hops = 0; isAlias(n) && hops < 100; hops++) n = n.resolve(doc) ?? null;
  return (n as Node | null | undefined) ?? null;
}

/** Plain data from YAML, scalars typed as Go's yaml.v3 types them (`0644` is octal, `yes` a string). */
function toPlain(rawNode: Node | null, doc: Doc): unknown {
  const node = resolve(rawNode, doc);
  if (node === null) return null;
  if (isMap(node)) {
    const out: PlainObject = {};
    for (const pair of node.items) {
      const key = toPlain(pair.key as Node | null, doc);
      setKey(out, String(key ?? ""), toPlain(pair.value as Node | null, doc));
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(item as Node | null, doc));
  if (isScalar(node)) {
    const tag = node.tag;
    if (
      node.source === undefined ||
      tag === "tag:yaml.org,2002:str" ||
      (node.type !== undefined && node.type !== "PLAIN")
    ) {
      return node.source ?? node.value;
    }
    const s = resolvePlainScalar(String(node.source));
    return s.type === "null" ? null : s.value;
  }
  return null;
}
