/**
 * Validation of a whole machine config: Talos 1.6's v1alpha1 checks plus each typed document's own
 * validator, as `talosctl validate` and machined run them.
 */
import { documentLabel, type MachineConfig, V1ALPHA1_KIND } from "./document.ts";
import type { ValidateOptions, ValidationResult } from "./documents/issue-collector.ts";
import { ConfigError, type ConfigIssue } from "./errors.ts";
import { findKind } from "./kinds.ts";

export type { ValidateOptions, ValidationMode, ValidationResult } from "./documents/issue-collector.ts";

/**
 * Validates every document of a config for a runtime mode. With `strict`, warnings are returned as errors
 * prefixed with `warning: ` (and no warnings remain), as Talos does.
 */
export function validateConfig(config: MachineConfig, opts: ValidateOptions): ValidationResult {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  if (!config.documents.some((d) => d.kind === V1ALPHA1_KIND)) {
    errors.push({ path: [], message: "machine instructions are required", document: V1ALPHA1_KIND });
  }
  for (const doc of config.documents) {
    const validate = findKind(doc.kind, doc.apiVersion)?.validate;
    if (validate === undefined) continue;
    const result = validate(doc.value, opts);
    const document = documentLabel(doc);
    errors.push(...result.errors.map((i) => ({ ...i, document })));
    warnings.push(...result.warnings.map((i) => ({ ...i, document })));
  }
  if (opts.strict) {
    errors.push(...warnings.map((w) => ({ ...w, message: `warning: ${w.message}` })));
    warnings.length = 0;
  }
  return { errors, warnings };
}

/**
 * Validates and throws a {@link ConfigError} (naming `source`) when there are errors; returns the warnings.
 */
export function assertValidConfig(config: MachineConfig, opts: ValidateOptions, source?: string): ConfigIssue[] {
  const { errors, warnings } = validateConfig(config, opts);
  if (errors.length > 0) {
    const head = source !== undefined ? `${source}: invalid configuration for ${opts.mode} mode` : undefined;
    throw new ConfigError(errors, source, head);
  }
  return warnings;
}
