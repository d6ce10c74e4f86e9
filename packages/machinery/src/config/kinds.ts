/**
 * The registry of machine-config document kinds Talos 1.6 knows: their apiVersion, schema, whether they
 * are named (unique by name as well as kind) and their validator.
 */
import { V1ALPHA1_KIND } from "./document.ts";
import { eventSinkConfigSchema, validateEventSinkConfig } from "./documents/event-sink-config.ts";
import type { ValidateOptions, ValidationResult } from "./documents/issue-collector.ts";
import { kmsgLogConfigSchema, validateKmsgLogConfig } from "./documents/kmsg-log-config.ts";
import { networkDefaultActionConfigSchema } from "./documents/network-default-action-config.ts";
import { networkRuleConfigSchema, validateNetworkRuleConfig } from "./documents/network-rule-config.ts";
import { sideroLinkConfigSchema, validateSideroLinkConfig } from "./documents/siderolink-config.ts";
import type { ObjectSchema } from "./schema/dsl.ts";
import { v1alpha1Schema } from "./v1alpha1/schema.ts";
import { validateV1Alpha1 } from "./v1alpha1/validate.ts";

export interface DocumentKind {
  /** `v1alpha1` for the legacy document, else the `kind` field. */
  readonly kind: string;
  /** `undefined` for the legacy v1alpha1 document. */
  readonly apiVersion: string | undefined;
  readonly schema: ObjectSchema;
  /** Named kinds are unique by `apiVersion/kind/name`; their `name` field identifies them. */
  readonly named: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: each kind validates its own inferred value type
  readonly validate?: (value: any, opts: ValidateOptions) => ValidationResult;
}

export const documentKinds: readonly DocumentKind[] = [
  { kind: V1ALPHA1_KIND, apiVersion: undefined, schema: v1alpha1Schema, named: false, validate: validateV1Alpha1 },
  {
    kind: "SideroLinkConfig",
    apiVersion: "v1alpha1",
    schema: sideroLinkConfigSchema,
    named: false,
    validate: validateSideroLinkConfig,
  },
  {
    kind: "EventSinkConfig",
    apiVersion: "v1alpha1",
    schema: eventSinkConfigSchema,
    named: false,
    validate: validateEventSinkConfig,
  },
  {
    kind: "KmsgLogConfig",
    apiVersion: "v1alpha1",
    schema: kmsgLogConfigSchema,
    named: true,
    validate: validateKmsgLogConfig,
  },
  {
    kind: "NetworkDefaultActionConfig",
    apiVersion: "v1alpha1",
    schema: networkDefaultActionConfigSchema,
    named: false,
  },
  {
    kind: "NetworkRuleConfig",
    apiVersion: "v1alpha1",
    schema: networkRuleConfigSchema,
    named: true,
    validate: validateNetworkRuleConfig,
  },
];

/** Looks a kind up; for typed documents the apiVersion must match too. */
export function findKind(kind: string, apiVersion?: string): DocumentKind | undefined {
  return documentKinds.find((k) => k.kind === kind && (k.apiVersion === undefined || k.apiVersion === apiVersion));
}
