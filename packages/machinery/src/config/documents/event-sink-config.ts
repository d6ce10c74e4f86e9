import { splitsHostPort } from "../internal/go-net.ts";
import { type Infer, obj, str } from "../schema/dsl.ts";
import { issueCollector, type ValidationResult } from "./issue-collector.ts";

/** `EventSinkConfig`: stream machine events to a gRPC sink. */
export const eventSinkConfigSchema = obj({
  apiVersion: str({ doc: "Document API version (v1alpha1)." }),
  kind: str({ doc: "Document kind." }),
  endpoint: str({ doc: "Event sink address as host:port.", examples: ["192.168.10.3:3247"] }),
});

export type EventSinkConfig = Infer<typeof eventSinkConfigSchema>;

export function validateEventSinkConfig(value: EventSinkConfig): ValidationResult {
  const issues = issueCollector();
  const err = splitsHostPort(value.endpoint ?? "");
  if (err !== undefined) issues.error(["endpoint"], `event sink endpoint: ${err}`);
  return issues;
}
