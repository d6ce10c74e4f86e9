/**
 * A small schema language for machine-config documents.
 *
 * One schema drives everything Talos-specific about a document: strict decoding (unknown keys and wrong
 * types are errors naming the field path), the order fields are written in, the documentation comments of
 * `gen config`, and the strategic-merge rules of patches (list append vs replace, keyed list merges).
 * TypeScript types are inferred from the schema with {@link Infer}, so the two cannot drift apart.
 */

/** Metadata every schema node may carry. */
export interface NodeMeta {
  /** One-line description, written as a YAML comment by `gen config --with-docs`. */
  readonly doc?: string;
  /** Example values, written as commented-out YAML by `gen config --with-examples`. */
  readonly examples?: readonly unknown[];
  /** Marked deprecated: decoding still accepts it, validation warns. */
  readonly deprecated?: string;
}

/**
 * Special string syntaxes checked when decoding, as Talos's Go types do when unmarshalling:
 * `duration` is a Go `time.Duration` (`30s`, `1h30m`), `url` a Go `url.URL` (`https://host:6443`),
 * `base64` a Go `[]byte` written as standard padded base64 (certificates and keys), `prefix` a Go
 * `netip.Prefix` (`10.0.0.0/8`; empty allowed).
 */
export type StringFormat = "duration" | "url" | "base64" | "prefix";

export interface StringSchema extends NodeMeta {
  readonly kind: "string";
  /** Allowed values, if the field is an enumeration checked at decode time (Go `UnmarshalText` enums). */
  readonly enum?: readonly string[];
  readonly format?: StringFormat;
}
export interface BoolSchema extends NodeMeta {
  readonly kind: "bool";
}
export interface IntSchema extends NodeMeta {
  readonly kind: "int";
  readonly min?: number;
  /** Upper bound of the Go integer type (`uint8` 255, `uint16` 65535, ...). */
  readonly max?: number;
  /** File modes: accept Go-style octal literals (`0644`, `0o644`). */
  readonly octal?: boolean;
}
export interface FloatSchema extends NodeMeta {
  readonly kind: "float";
}
/** Free-form YAML (Talos `Unstructured` and `map[string]any` fields). Merged deeply. */
export interface AnySchema extends NodeMeta {
  readonly kind: "any";
  /** Go `Unstructured`: the value must be a YAML mapping. */
  readonly mapping?: boolean;
  /** Whole-value replace on merge (Talos `merge:"replace"` on an `Unstructured` field). */
  readonly replace?: boolean;
}
/** Decode-time syntax checks of scalar unions: a port or `lo-hi` range, a byte size (`100 MB` or bytes). */
export type ScalarFormat = "port-range" | "byte-size";

/** A value that may be one of several scalar kinds (e.g. a port given as `80` or `"80-90"`). */
export interface ScalarUnionSchema extends NodeMeta {
  readonly kind: "scalar";
  readonly accepts: readonly ("string" | "int" | "bool")[];
  readonly format?: ScalarFormat;
}

/** How a list merges under a strategic-merge patch. */
export type ListMerge =
  /** Default Talos behaviour: patch items are appended. */
  | "append"
  /** Fields tagged `merge:"replace"` in Talos: the patch list replaces the original. */
  | "replace"
  /**
   * Keyed merge: a patch item that `matches` an existing item is merged into it, others are appended.
   * Used for network interfaces (by `interface` or `deviceSelector`), VLANs (by `vlanId`) and admission
   * plugins (by `name`).
   */
  | { readonly match: (existing: unknown, patch: unknown) => boolean };

export interface ListSchema<T extends Schema = Schema> extends NodeMeta {
  readonly kind: "list";
  readonly of: T;
  readonly merge: ListMerge;
  /** A single scalar where a list is expected is read as a one-item list (Go `StringList`-like types). */
  readonly acceptScalar?: boolean;
}
export interface MapSchema<T extends Schema = Schema> extends NodeMeta {
  readonly kind: "map";
  readonly of: T;
  /** Whole-map replace on merge instead of per-key merge. */
  readonly replace?: boolean;
}
export interface ObjectSchema<F extends Fields = Fields> extends NodeMeta {
  readonly kind: "object";
  readonly fields: F;
  /** Whole-object replace on merge (Talos `merge:"replace"` on a struct field). */
  readonly replace?: boolean;
}

export type Schema =
  | StringSchema
  | BoolSchema
  | IntSchema
  | FloatSchema
  | AnySchema
  | ScalarUnionSchema
  | ListSchema
  | MapSchema
  | ObjectSchema;

export type Fields = { readonly [key: string]: Schema };

/** The TypeScript type a schema decodes to. Every object field is optional, like Go's `omitempty`. */
export type Infer<S> = S extends StringSchema
  ? string
  : S extends BoolSchema
    ? boolean
    : S extends IntSchema
      ? number
      : S extends FloatSchema
        ? number
        : S extends AnySchema
          ? unknown
          : S extends ScalarUnionSchema
            ? string | number | boolean
            : S extends ListSchema<infer T>
              ? Infer<T>[]
              : S extends MapSchema<infer T>
                ? Record<string, Infer<T>>
                : S extends ObjectSchema<infer F>
                  ? { -readonly [K in keyof F]?: Infer<F[K]> }
                  : never;

type Meta = NodeMeta;

export const str = (meta: Meta & { enum?: readonly string[]; format?: StringFormat } = {}): StringSchema => ({
  kind: "string",
  ...meta,
});
/** A Go `time.Duration` written as a string (`30s`, `1h0m0s`). */
export const duration = (meta: Meta = {}): StringSchema => ({ kind: "string", format: "duration", ...meta });
export const bool = (meta: Meta = {}): BoolSchema => ({ kind: "bool", ...meta });
export const int = (meta: Meta & { min?: number; max?: number; octal?: boolean } = {}): IntSchema => ({
  kind: "int",
  ...meta,
});
export const float = (meta: Meta = {}): FloatSchema => ({ kind: "float", ...meta });
export const any = (meta: Meta & { mapping?: boolean; replace?: boolean } = {}): AnySchema => ({
  kind: "any",
  ...meta,
});
export const scalar = (
  accepts: ScalarUnionSchema["accepts"],
  meta: Meta & { format?: ScalarFormat } = {},
): ScalarUnionSchema => ({
  kind: "scalar",
  accepts,
  ...meta,
});
export const list = <T extends Schema>(
  of: T,
  meta: Meta & { merge?: ListMerge; acceptScalar?: boolean } = {},
): ListSchema<T> => ({ kind: "list", of, merge: "append", ...meta });
export const map = <T extends Schema>(of: T, meta: Meta & { replace?: boolean } = {}): MapSchema<T> => ({
  kind: "map",
  of,
  ...meta,
});
export const obj = <F extends Fields>(fields: F, meta: Meta & { replace?: boolean } = {}): ObjectSchema<F> => ({
  kind: "object",
  fields,
  ...meta,
});

/** Returns a copy of a schema node with extra metadata (used to document a shared type at each use). */
export const withMeta = <S extends Schema>(schema: S, meta: Meta & { replace?: boolean; merge?: ListMerge }): S => ({
  ...schema,
  ...meta,
});

/** Resolves the schema node at a path of object keys / list indexes / map keys, if any. */
export function schemaAt(root: Schema, path: readonly (string | number)[]): Schema | undefined {
  let node: Schema | undefined = root;
  for (const part of path) {
    if (node === undefined) return undefined;
    if (node.kind === "object") node = typeof part === "string" ? node.fields[part] : undefined;
    else if (node.kind === "list") node = typeof part === "number" ? node.of : undefined;
    else if (node.kind === "map") node = node.of;
    else if (node.kind === "any") return node;
    else return undefined;
  }
  return node;
}
