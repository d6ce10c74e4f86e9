import { parseGoUrl } from "../internal/go-url.ts";
import { type Infer, obj, str } from "../schema/dsl.ts";
import { issueCollector, type ValidationResult } from "./issue-collector.ts";

/** `KmsgLogConfig` (named): send kernel logs to a remote receiver. */
export const kmsgLogConfigSchema = obj({
  apiVersion: str({ doc: "Document API version (v1alpha1)." }),
  kind: str({ doc: "Document kind." }),
  name: str({ doc: "Name of this log destination." }),
  url: str({
    format: "url",
    doc: "Receiver URL: tcp:// or udp://, with a port and no path.",
    examples: ["udp://10.3.7.3:2810"],
  }),
});

export type KmsgLogConfig = Infer<typeof kmsgLogConfigSchema>;

export function validateKmsgLogConfig(value: KmsgLogConfig): ValidationResult {
  const issues = issueCollector();
  if ((value.name ?? "") === "") {
    issues.error(["name"], "name is required");
    return issues;
  }
  const parsed = (value.url ?? "") === "" ? undefined : parseGoUrl(value.url ?? "");
  if (parsed === undefined || !parsed.ok) issues.error(["url"], "url is required");
  else if (parsed.url.scheme !== "tcp" && parsed.url.scheme !== "udp")
    issues.error(["url"], "url scheme must be tcp:// or udp://");
  else if (parsed.url.path !== "" && parsed.url.path !== "/") issues.error(["url"], "url path must be empty");
  else if (parsed.url.port === "") issues.error(["url"], "url port is required");
  return issues;
}
