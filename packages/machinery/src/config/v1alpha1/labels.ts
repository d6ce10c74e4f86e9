/** Kubernetes label and taint syntax, as Talos checks `machine.nodeLabels` and `machine.nodeTaints`. */

export interface LabelError {
  readonly key: string;
  readonly message: string;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** A qualified name (`[prefix/]name`); returns the error or `undefined`. */
export function qualifiedNameError(value: string): string | undefined {
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? "";
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? "";
    name = parts[1] ?? "";
    if (prefix === "") return `prefix cannot be empty: ${JSON.stringify(value)}`;
    if (prefix.length > 253) {
      return `prefix ${JSON.stringify(prefix)} is invalid: domain name length exceeds limit of 253: ${JSON.stringify(prefix)}`;
    }
    if (!DNS1123_SUBDOMAIN.test(prefix)) {
      return `prefix ${JSON.stringify(prefix)} is invalid: domain doesn't match required format: ${JSON.stringify(prefix)}`;
    }
  } else {
    return `invalid format: too many slashes: ${JSON.stringify(value)}`;
  }
  if (name === "") return `name cannot be empty: ${JSON.stringify(value)}`;
  if (name.length > 63) return `name is too long: ${JSON.stringify(value)} (limit is 63)`;
  if (!QUALIFIED_NAME.test(name)) return `name ${JSON.stringify(name)} is invalid`;
  return undefined;
}

export function labelValueError(value: string): string | undefined {
  if (value.length > 63) return `label value length exceeds limit of 63: ${JSON.stringify(value)}`;
  if (!LABEL_VALUE.test(value)) return `label value ${JSON.stringify(value)} is invalid`;
  return undefined;
}

/** Checks label keys and values (sorted by key, like Talos). */
export function validateLabels(labels: Record<string, string>): LabelError[] {
  const errors: LabelError[] = [];
  for (const key of Object.keys(labels).sort()) {
    const k = qualifiedNameError(key);
    if (k !== undefined) errors.push({ key, message: k });
    const v = labelValueError(labels[key] ?? "");
    if (v !== undefined) errors.push({ key, message: v });
  }
  return errors;
}

/** Checks taints: label-style keys and `value:effect` (or just `effect`) values with a known effect. */
export function validateTaints(taints: Record<string, string>): LabelError[] {
  const errors: LabelError[] = [];
  for (const key of Object.keys(taints).sort()) {
    const k = qualifiedNameError(key);
    if (k !== undefined) {
      errors.push({ key, message: k });
      continue;
    }
    const raw = taints[key] ?? "";
    const colon = raw.indexOf(":");
    const value = colon >= 0 ? raw.slice(0, colon) : "";
    const effect = colon >= 0 ? raw.slice(colon + 1) : raw;
    if (!TAINT_EFFECTS.includes(effect)) {
      errors.push({ key, message: `invalid taint effect: ${JSON.stringify(effect)}` });
      continue;
    }
    if (colon >= 0) {
      const v = labelValueError(value);
      if (v !== undefined) errors.push({ key, message: v });
    }
  }
  return errors;
}
