// Renders COSI resources the way `talosctl get` does: a table with the definition's print columns, or one
// YAML/JSON document per resource with the node, metadata and spec.
import type { cosi } from "@talos/machinery/api";
import type { ResourceDefinitionSpec } from "@talos/machinery/resources";
import { parse, stringify } from "yaml";
import { formatTable } from "../util/tab-writer.ts";
import { evalJsonPath, formatJsonPathValue } from "./jsonpath.ts";

export type OutputFormat = "table" | "yaml" | "json" | "jsonpath";

/** A resource as received, with the node it came from and (when watching) the event. */
export interface ResourceItem {
  readonly node: string;
  readonly resource: cosi.Resource;
  readonly event?: "created" | "updated" | "destroyed";
}

function specOf(res: cosi.Resource): unknown {
  const text = res.spec?.yamlSpec ?? "";
  if (text === "") return null;
  try {
    return parse(text);
  } catch {
    return text;
  }
}

function timestamp(t: cosi.Metadata["created"]): string | undefined {
  if (t === undefined) return undefined;
  return new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6)).toISOString().replace(/\.000Z$/, "Z");
}

/** The document `-o yaml|json|jsonpath` prints for a resource. */
export function resourceDocument(item: ResourceItem): Record<string, unknown> {
  const m = item.resource.metadata;
  const metadata: Record<string, unknown> = {
    namespace: m?.namespace ?? "",
    type: m?.type ?? "",
    id: m?.id ?? "",
    version: /^\d+$/.test(m?.version ?? "") ? Number(m?.version) : (m?.version ?? ""),
    owner: m?.owner ?? "",
    phase: m?.phase ?? "",
    created: timestamp(m?.created),
    updated: timestamp(m?.updated),
  };
  if (m !== undefined && Object.keys(m.labels).length > 0) metadata["labels"] = { ...m.labels };
  if (m !== undefined && Object.keys(m.annotations).length > 0) metadata["annotations"] = { ...m.annotations };
  if (m !== undefined && m.finalizers.length > 0) metadata["finalizers"] = [...m.finalizers];
  return {
    node: item.node,
    metadata,
    spec: specOf(item.resource),
    ...(item.event !== undefined ? { event: item.event } : {}),
  };
}

/** Renders resources in a document format; `jsonpath` takes the expression. */
export function renderDocuments(
  items: readonly ResourceItem[],
  format: Exclude<OutputFormat, "table">,
  expr = "",
): string {
  return items
    .map((item) => {
      const doc = resourceDocument(item);
      if (format === "json") return `${JSON.stringify(doc, null, 4)}\n`;
      if (format === "jsonpath") {
        return evalJsonPath(doc, expr)
          .map((v) => `${formatJsonPathValue(v)}\n`)
          .join("");
      }
      return `---\n${stringify(doc, { indent: 4, lineWidth: 0, indentSeq: false })}`;
    })
    .join("");
}

/** Table header: the fixed columns then the definition's print columns, upper-cased. */
export function tableHeader(rd: ResourceDefinitionSpec, watch: boolean): string[] {
  return [
    ...(watch ? ["*"] : []),
    "NODE",
    "NAMESPACE",
    "TYPE",
    "ID",
    "VERSION",
    ...rd.printColumns.map((c) => c.name.toUpperCase()),
  ];
}

const EVENT_MARK = { created: "+", updated: " ", destroyed: "-" } as const;

export function tableRow(rd: ResourceDefinitionSpec, item: ResourceItem): string[] {
  const m = item.resource.metadata;
  const spec = specOf(item.resource);
  return [
    ...(item.event !== undefined ? [EVENT_MARK[item.event]] : []),
    item.node,
    m?.namespace ?? "",
    rd.displayType,
    m?.id ?? "",
    m?.version ?? "",
    ...rd.printColumns.map((c) => evalJsonPath(spec, c.jsonPath).map(formatJsonPathValue).join(" ")),
  ];
}

export function renderTable(rd: ResourceDefinitionSpec, items: readonly ResourceItem[], watch = false): string {
  return formatTable([tableHeader(rd, watch), ...items.map((i) => tableRow(rd, i))]);
}
