/**
 * Strict standard base64 (RFC 4648 §4, padded), as Go's `base64.StdEncoding` reads it: no whitespace, no
 * URL alphabet, padding required. Node's own decoder silently skips bad characters, which would hide
 * corrupted secrets.
 */
const STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URL = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

/** Decodes padded standard base64; `undefined` when the text is not valid. */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (!STD.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** Decodes padded URL-safe base64 (Go's `base64.URLEncoding`); `undefined` when the text is not valid. */
export function decodeBase64UrlStrict(text: string): Uint8Array | undefined {
  if (!URL.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, "base64url"));
}

/** Standard padded base64 (Go's `base64.StdEncoding`) of bytes or UTF-8 text. */
export function encodeBase64(data: Uint8Array | string): string {
  return Buffer.from(data).toString("base64");
}

/** Padded URL-safe base64, like Go's `base64.URLEncoding` (Node's `base64url` drops the padding). */
export function encodeBase64Url(data: Uint8Array): string {
  return Buffer.from(data).toString("base64").replaceAll("+", "-").replaceAll("/", "_");
}
