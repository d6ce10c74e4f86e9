import { isPrefix } from "../internal/go-net.ts";
import { type Infer, list, obj, scalar, str } from "../schema/dsl.ts";
import { issueCollector, type ValidationResult } from "./issue-collector.ts";

/** `NetworkRuleConfig` (named): a host firewall rule allowing ingress to ports from source subnets. */
export const networkRuleConfigSchema = obj({
  apiVersion: str({ doc: "Document API version (v1alpha1)." }),
  kind: str({ doc: "Document kind." }),
  name: str({ doc: "Name of the rule." }),
  portSelector: obj(
    {
      ports: list(scalar(["int", "string"], { format: "port-range" }), {
        doc: "Ports or inclusive port ranges (80, 8000-8010); must not overlap.",
        merge: "replace",
        examples: [
          [80, 443],
          ["1200-1299", 8080],
        ],
      }),
      protocol: str({ enum: ["tcp", "udp", "icmp", "icmpv6"], doc: "Protocol: tcp or udp." }),
    },
    { doc: "Host ports and protocol the rule applies to." },
  ),
  ingress: list(
    obj({
      subnet: str({ format: "prefix", doc: "Source subnet allowed in.", examples: ["10.3.4.0/24"] }),
      except: str({ format: "prefix", doc: "Subnet excluded from subnet." }),
    }),
    { doc: "Source subnets allowed to reach the ports.", merge: "replace" },
  ),
});

export type NetworkRuleConfig = Infer<typeof networkRuleConfigSchema>;

/** A port selector entry as a `[lo, hi]` range (`80` is `[80, 80]`); `undefined` if unparseable. */
export function portRange(entry: string | number | boolean): [number, number] | undefined {
  if (typeof entry === "number") return [entry, entry];
  const m = /^(\d+)-(\d+)$/.exec(String(entry));
  return m === null ? undefined : [Number(m[1]), Number(m[2])];
}

export function validateNetworkRuleConfig(value: NetworkRuleConfig): ValidationResult {
  const issues = issueCollector();
  if ((value.name ?? "") === "") {
    issues.error(["name"], "name is required");
    return issues;
  }
  const ports = value.portSelector?.ports ?? [];
  if (ports.length === 0) {
    issues.error(["portSelector", "ports"], "portSelector.ports is required");
    return issues;
  }
  const ranges = ports
    .map((p) => portRange(p))
    .filter((r): r is [number, number] => r !== undefined)
    .sort((a, b) => a[0] - b[0]);
  for (const [i, [lo, hi]] of ranges.entries()) {
    if (lo > hi) {
      issues.error(["portSelector", "ports"], `invalid port range: ${lo}-${hi}`);
      return issues;
    }
    const prev = ranges[i - 1];
    if (prev !== undefined && (lo === prev[0] || lo <= prev[1])) {
      issues.error(["portSelector", "ports"], `invalid port range: ${lo}-${hi}, overlaps with ${prev[0]}-${prev[1]}`);
      return issues;
    }
  }
  for (const [i, rule] of (value.ingress ?? []).entries()) {
    if (!isPrefix(rule.subnet ?? "")) {
      issues.error(["ingress", i, "subnet"], `invalid subnet: ${JSON.stringify(rule.subnet ?? "")}`);
      return issues;
    }
    if ((rule.except ?? "") !== "" && !isPrefix(rule.except ?? "")) {
      issues.error(["ingress", i, "except"], `invalid except: ${JSON.stringify(rule.except)}`);
      return issues;
    }
  }
  return issues;
}
