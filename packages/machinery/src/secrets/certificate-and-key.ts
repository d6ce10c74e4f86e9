import { decodeBase64Strict, encodeBase64 } from "./base64.ts";
import { PkiError } from "./pki-error.ts";

/** A certificate and its private key as PEM text. */
export interface CertificateAndKeyPem {
  readonly crt: string;
  readonly key: string;
}

/**
 * A certificate and key as Talos stores them in configs, talosconfig and the secrets bundle: standard
 * base64 of the PEM text. (Same shape as {@link CertificateAndKeyPem}: the names say which one you hold.)
 */
export interface EncodedCertAndKey {
  readonly crt: string;
  readonly key: string;
}

/** Base64-encodes both PEM texts. */
export function encodeCertAndKey(pair: CertificateAndKeyPem): EncodedCertAndKey {
  return { crt: encodeBase64(pair.crt), key: encodeBase64(pair.key) };
}

/**
 * Decodes both fields from base64 to PEM text.
 *
 * @throws {PkiError} naming the field (`crt` or `key`) that is not valid base64.
 */
export function decodeCertAndKey(pair: EncodedCertAndKey, what = "certificate and key"): CertificateAndKeyPem {
  return { crt: decodeBase64Text(pair.crt, `${what}: crt`), key: decodeBase64Text(pair.key, `${what}: key`) };
}

/** Decodes base64 to text, with an error naming `what`. */
export function decodeBase64Text(value: string, what: string): string {
  const bytes = decodeBase64Strict(value);
  if (bytes === undefined) throw new PkiError(what, `not valid base64`);
  return Buffer.from(bytes).toString("utf8");
}
