import { PkiError } from "./pki-error.ts";

/**
 * PEM block types as Talos writes them (siderolabs/crypto). Two are non-standard: Ed25519 private keys are
 * PKCS#8 under `ED25519 PRIVATE KEY` (OpenSSL and Node only know `PRIVATE KEY`), and EC public keys are SPKI
 * under `EC PUBLIC KEY`. RSA public keys are SPKI under plain `PUBLIC KEY`.
 */
export const PEM_LABEL = {
  certificate: "CERTIFICATE",
  certificateRequest: "CERTIFICATE REQUEST",
  ed25519PrivateKey: "ED25519 PRIVATE KEY",
  ecPrivateKey: "EC PRIVATE KEY",
  rsaPrivateKey: "RSA PRIVATE KEY",
  privateKey: "PRIVATE KEY",
  ed25519PublicKey: "ED25519 PUBLIC KEY",
  ecPublicKey: "EC PUBLIC KEY",
  publicKey: "PUBLIC KEY",
  rsaPublicKey: "RSA PUBLIC KEY",
} as const;

/** One decoded PEM block: its type label and the DER bytes it wraps. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

/** Encodes DER as a PEM block the way Go's `pem.EncodeToMemory` does: 64-column lines, trailing newline. */
export function encodePem(label: string, der: Uint8Array): string {
  const body = Buffer.from(der).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.map((l) => `${l}\n`).join("")}-----END ${label}-----\n`;
}

const BLOCK = /-----BEGIN ([^\r\n-]+)-----\r?\n([\s\S]*?)-----END ([^\r\n-]+)-----/g;
const BODY_CHARS = /^[A-Za-z0-9+/=]*$/;

/**
 * Decodes every PEM block in `text`, in order. Text around the blocks is ignored (as Go does); a block
 * with headers (encrypted keys), a mismatched END line or a bad base64 body is an error.
 *
 * @param what names the input in error messages, e.g. `CA certificate`.
 * @throws {PkiError}
 */
export function decodePemBlocks(text: string, what = "PEM"): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const [, label = "", rawBody = "", endLabel = ""] = m;
    if (label !== endLabel) throw new PkiError(what, `PEM block "${label}" ends with "${endLabel}"`);
    if (rawBody.includes(":")) {
      throw new PkiError(what, `PEM block "${label}" has headers (encrypted keys are not supported)`);
    }
    const body = rawBody.replace(/\s+/g, "");
    if (!BODY_CHARS.test(body) || body.length % 4 !== 0) {
      throw new PkiError(what, `PEM block "${label}" has an invalid base64 body`);
    }
    blocks.push({ label, der: new Uint8Array(Buffer.from(body, "base64")) });
  }
  return blocks;
}

/**
 * Decodes the first PEM block and checks its type.
 *
 * @param labels the accepted block types; empty accepts any.
 * @throws {PkiError} when there is no block or it has another type.
 */
export function decodePem(text: string, what: string, labels: readonly string[] = []): PemBlock {
  const block = decodePemBlocks(text, what)[0];
  if (block === undefined) {
    const hint =
      /^[A-Za-z0-9+/]+=*\s*$/.test(text.trim()) && text.trim().startsWith("LS0t") ? " (still base64-encoded?)" : "";
    throw new PkiError(what, `no PEM block found${hint}`);
  }
  if (labels.length > 0 && !labels.includes(block.label)) {
    const expected = labels.map((l) => `"${l}"`).join(" or ");
    throw new PkiError(what, `unexpected PEM type "${block.label}", expected ${expected}`);
  }
  return block;
}
