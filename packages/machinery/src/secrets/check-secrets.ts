/**
 * Content checks shared by the secrets-bundle decoder and the config → bundle conversion: each secret is a
 * "slot" with a field path (in whichever document it came from) and what it must hold. Internal.
 */
import type { ConfigIssue, FieldPath } from "../config/errors.ts";
import { decodeBase64Strict } from "./base64.ts";
import { assertKeyMatches } from "./certificate-authority.ts";
import { parseCertificatePem } from "./inspect-certificate.ts";
import { isPkiError } from "./pki-error.ts";
import { decodePrivateKeyPem } from "./private-key.ts";
import { TOKEN_PATTERN } from "./token.ts";

/** What a slot must hold. */
export type SecretCheck =
  /** Any non-empty string. */
  | "text"
  /** `[0-9a-z]{6}.[0-9a-z]{16}`. */
  | "token"
  /** Standard base64. */
  | "base64"
  /** Standard base64 of a 32-byte key (secretbox). */
  | "key32"
  /** Standard base64 of a 16, 24 or 32-byte AES key. */
  | "aesKey"
  /** `{crt, key}`: base64 of a PEM certificate and of the PEM private key that belongs to it. */
  | "certAndKey"
  /** base64 of a PEM private key. */
  | "privateKey";

/** One secret to check: where it is, what it must be, its value. */
export interface SecretSlot {
  readonly path: FieldPath;
  readonly check: SecretCheck;
  readonly value: unknown;
}

const EXPECTED: Record<SecretCheck, string> = {
  text: "a non-empty string",
  token: "a token like abcdef.0123456789abcdef ([0-9a-z]{6}.[0-9a-z]{16})",
  base64: "standard base64 data",
  key32: "standard base64 of a 32-byte key",
  aesKey: "standard base64 of a 16, 24 or 32-byte key",
  certAndKey: "a mapping with crt and key (base64 of PEM)",
  privateKey: "base64 of a PEM private key",
};

/** Whether a value counts as absent (Go's zero value: missing, null or the empty string). */
export function isMissing(v: unknown): boolean {
  return v === undefined || v === null || v === "";
}

/** Checks every slot and appends one issue per problem. */
export function checkSecrets(slots: readonly SecretSlot[], issues: ConfigIssue[]): void {
  for (const slot of slots) checkSlot(slot, issues);
}

function checkSlot({ path, check, value }: SecretSlot, issues: ConfigIssue[]): void {
  const fail = (message: string): void => {
    issues.push({ path, message });
  };
  if (isMissing(value)) {
    fail(`missing, expected ${EXPECTED[check]}`);
  } else if (check === "certAndKey") {
    checkCertAndKey(path, value, issues);
  } else if (typeof value !== "string") {
    fail(`expected ${EXPECTED[check]}, got ${describe(value)}`);
  } else if (check === "token") {
    if (!TOKEN_PATTERN.test(value)) fail(`expected ${EXPECTED.token}, got ${JSON.stringify(value)}`);
  } else if (check === "base64") {
    if (decodeBase64Strict(value) === undefined) fail(`expected ${EXPECTED.base64}`);
  } else if (check === "key32" || check === "aesKey") {
    const bytes = decodeBase64Strict(value);
    const sizes = check === "key32" ? [32] : [16, 24, 32];
    if (bytes === undefined) fail(`expected ${EXPECTED[check]}, got invalid base64`);
    else if (!sizes.includes(bytes.length)) fail(`expected ${EXPECTED[check]}, got ${bytes.length} bytes`);
  } else if (check === "privateKey") {
    const pem = pemText(value, path, "a PEM private key", issues);
    if (pem !== undefined) guard(path, issues, () => decodePrivateKeyPem(pem, ""));
  }
  // "text": any non-empty string will do.
}

function checkCertAndKey(path: FieldPath, value: unknown, issues: ConfigIssue[]): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    issues.push({ path, message: `expected ${EXPECTED.certAndKey}, got ${describe(value)}` });
    return;
  }
  const { crt, key } = value as Record<string, unknown>;
  const crtPath = [...path, "crt"];
  const keyPath = [...path, "key"];
  for (const [v, p, what] of [
    [crt, crtPath, "a PEM certificate"],
    [key, keyPath, "a PEM private key"],
  ] as const) {
    if (isMissing(v)) issues.push({ path: p, message: `missing, expected base64 of ${what}` });
    else if (typeof v !== "string") issues.push({ path: p, message: `expected base64 of ${what}, got ${describe(v)}` });
  }
  if (typeof crt !== "string" || typeof key !== "string" || crt === "" || key === "") return;
  const crtPem = pemText(crt, crtPath, "a PEM certificate", issues);
  const keyPem = pemText(key, keyPath, "a PEM private key", issues);
  const certificate = crtPem !== undefined ? guard(crtPath, issues, () => parseCertificatePem(crtPem, "")) : undefined;
  const privateKey = keyPem !== undefined ? guard(keyPath, issues, () => decodePrivateKeyPem(keyPem, "")) : undefined;
  if (certificate !== undefined && privateKey !== undefined) {
    guard(keyPath, issues, () => assertKeyMatches(certificate, privateKey, ""));
  }
}

/** base64 → PEM text, or an issue. */
function pemText(value: string, path: FieldPath, what: string, issues: ConfigIssue[]): string | undefined {
  const bytes = decodeBase64Strict(value);
  if (bytes === undefined) {
    issues.push({ path, message: `expected base64 of ${what}, got invalid base64` });
    return undefined;
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Runs a parser, turning its PkiError into an issue at `path`. */
function guard<T>(path: FieldPath, issues: ConfigIssue[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!isPkiError(e)) throw e;
    issues.push({ path, message: e.detail });
    return undefined;
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object" && v !== null) return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}
