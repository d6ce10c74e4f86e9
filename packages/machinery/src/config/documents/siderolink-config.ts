import { parseGoUrl } from "../internal/go-url.ts";
import { type Infer, obj, str } from "../schema/dsl.ts";
import { issueCollector, type ValidationResult } from "./issue-collector.ts";

/** `SideroLinkConfig`: connection to an Omni / SideroLink API. */
export const sideroLinkConfigSchema = obj({
  apiVersion: str({ doc: "Document API version (v1alpha1)." }),
  kind: str({ doc: "Document kind." }),
  apiUrl: str({
    format: "url",
    doc: "SideroLink API URL (https:// or grpc://).",
    examples: ["https://siderolink.api/?jointoken=secret"],
  }),
});

export type SideroLinkConfig = Infer<typeof sideroLinkConfigSchema>;

export function validateSideroLinkConfig(value: SideroLinkConfig): ValidationResult {
  const issues = issueCollector();
  const raw = value.apiUrl ?? "";
  const parsed = raw === "" ? undefined : parseGoUrl(raw);
  if (parsed === undefined || !parsed.ok) {
    issues.error(["apiUrl"], "apiUrl is required");
    return issues;
  }
  if (parsed.url.scheme !== "https" && parsed.url.scheme !== "grpc") {
    issues.error(["apiUrl"], "apiUrl scheme must be https:// or grpc://");
  } else if (parsed.url.path !== "" && parsed.url.path !== "/") {
    issues.error(["apiUrl"], "apiUrl path must be empty");
  }
  return issues;
}
