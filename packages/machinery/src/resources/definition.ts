// Resource definitions (`ResourceDefinitions.meta.cosi.dev`): how `talosctl get` finds a type by alias and
// which columns it prints. The derivation of display type and aliases follows COSI's `Fill`.

export interface PrintColumn {
  readonly name: string;
  readonly jsonPath: string;
}

/** What a resource kind declares about itself. */
export interface ResourceDefinitionInput {
  /** Plural CamelCase name plus a dotted suffix, e.g. `Members.cluster.talos.dev`. */
  readonly type: string;
  readonly defaultNamespace: string;
  /** Extra human aliases (e.g. `hostname` for HostnameStatuses). */
  readonly aliases?: readonly string[];
  readonly printColumns?: readonly PrintColumn[];
  /** Sensitive types (secrets, the machine config) are readable with `os:admin` only. */
  readonly sensitive?: boolean;
}

/** The spec of a ResourceDefinition resource, as COSI serves it. */
export interface ResourceDefinitionSpec {
  readonly type: string;
  readonly displayType: string;
  readonly defaultNamespace: string;
  readonly aliases: readonly string[];
  readonly allAliases: readonly string[];
  readonly printColumns: readonly PrintColumn[];
  readonly sensitivity?: "sensitive";
}

const NAME = /^[A-Z][A-Za-z0-9-]+$/;
const SUFFIX = /^[a-z][a-z0-9-]+(\.[a-z][a-z0-9-]+)*$/;

/** The ID of a type's definition: the lower-cased type. */
export function definitionId(type: string): string {
  return type.toLowerCase();
}

/**
 * Completes a definition: display type (the singular name), aliases (the lower-cased display type, the
 * upper-case initials and their plural) and all aliases (the plural name, its dotted prefixes, the aliases).
 *
 * @throws {Error} for a type that is not `PluralCamelCase.dotted.suffix`.
 */
export function fillDefinition(input: ResourceDefinitionInput): ResourceDefinitionSpec {
  const dot = input.type.indexOf(".");
  if (dot < 0) throw new Error(`resource type ${JSON.stringify(input.type)}: missing suffix`);
  const name = input.type.slice(0, dot);
  const suffix = input.type.slice(dot + 1);
  if (!NAME.test(name) || name.toLowerCase() === name) {
    throw new Error(`resource type ${JSON.stringify(input.type)}: name should be in CamelCase`);
  }
  if (!SUFFIX.test(suffix)) throw new Error(`resource type ${JSON.stringify(input.type)}: bad suffix`);
  const displayType = singular(name);
  const aliases = [...(input.aliases ?? []), displayType.toLowerCase()];
  const lower = name.toLowerCase();
  const allAliases = [lower];
  const parts = suffix.split(".");
  for (let i = 1; i < parts.length; i++) allAliases.push([lower, ...parts.slice(0, i)].join("."));
  const upper = [...name].filter((c) => c >= "A" && c <= "Z").join("");
  if (upper.length > 1) {
    aliases.push(upper.toLowerCase());
    if (!upper.endsWith("S")) aliases.push(`${upper}s`.toLowerCase());
  }
  allAliases.push(...aliases);
  return {
    type: input.type,
    displayType,
    defaultNamespace: input.defaultNamespace,
    aliases,
    allAliases,
    printColumns: [...(input.printColumns ?? [])],
    ...(input.sensitive === true ? { sensitivity: "sensitive" as const } : {}),
  };
}

/** English singular of a plural CamelCase name, for the names resource types use. */
export function singular(plural: string): string {
  if (/ies$/.test(plural)) return plural.replace(/ies$/, "y");
  if (/(ss|us|x|ch|sh)es$/.test(plural)) return plural.replace(/es$/, "");
  if (/s$/.test(plural) && !/ss$/.test(plural)) return plural.slice(0, -1);
  return plural;
}

/** Whether a user's word names this definition: its ID or any alias, case-insensitively. */
export function matchesDefinition(spec: ResourceDefinitionSpec, word: string): boolean {
  const w = word.toLowerCase();
  return definitionId(spec.type) === w || spec.allAliases.includes(w);
}
