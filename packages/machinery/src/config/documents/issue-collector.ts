import type { ConfigIssue, FieldPath } from "../errors.ts";

/** What a document validator reports: errors make the config invalid, warnings are printed. */
export interface ValidationResult {
  readonly errors: ConfigIssue[];
  readonly warnings: ConfigIssue[];
}

/** Runtime mode a config is validated for, as in Talos (`talosctl validate --mode`). */
export type ValidationMode = "metal" | "container" | "cloud";

export interface ValidateOptions {
  readonly mode: ValidationMode;
  /**
   * Validate on a workstation (`talosctl validate`): checks that need the machine itself (does the install
   * disk exist?) are reduced to presence checks.
   */
  readonly local?: boolean;
  /** Turn warnings into errors prefixed with `warning: `. */
  readonly strict?: boolean;
  /** Outside local mode: whether a disk path exists on the machine (only machined can answer). */
  readonly diskExists?: (path: string) => boolean;
}

/** Collects issues with paths relative to a document. */
export interface IssueCollector extends ValidationResult {
  error(path: FieldPath, message: string): void;
  warn(path: FieldPath, message: string): void;
}

export function issueCollector(): IssueCollector {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  return {
    errors,
    warnings,
    error: (path, message) => errors.push({ path, message }),
    warn: (path, message) => warnings.push({ path, message }),
  };
}
