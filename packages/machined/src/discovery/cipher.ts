// How Talos nodes encrypt what they give the discovery service, so the service never sees cluster data:
// affiliate data with AES-256-GCM (random 12-byte nonce in front, tag at the end, as Go's cipher.AEAD Seal
// lays it out) and endpoints with raw AES blocks (a length byte, the message, zero padding), so that equal
// endpoints encrypt equally and the service can de-duplicate them. The key is `cluster.secret` (32 bytes).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const NONCE = 12;
const TAG = 16;
const BLOCK = 16;

/** The 32-byte key from `cluster.secret` (base64), or an error naming the field. */
export function discoveryKey(secretBase64: string): Buffer {
  const key = Buffer.from(secretBase64, "base64");
  if (key.length !== 32) {
    throw new Error(`cluster.secret: expected 32 bytes of base64 for discovery encryption, got ${key.length}`);
  }
  return key;
}

export function sealAffiliate(key: Buffer, plain: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE);
  const c = createCipheriv("aes-256-gcm", key, nonce);
  return Buffer.concat([nonce, c.update(plain), c.final(), c.getAuthTag()]);
}

/** The plaintext, or undefined when the data is not ours (wrong key, tampered, truncated). */
export function openAffiliate(key: Buffer, sealed: Uint8Array): Uint8Array | undefined {
  if (sealed.length < NONCE + TAG) return undefined;
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  try {
    const d = createDecipheriv("aes-256-gcm", key, buf.subarray(0, NONCE));
    d.setAuthTag(buf.subarray(buf.length - TAG));
    return Buffer.concat([d.update(buf.subarray(NONCE, buf.length - TAG)), d.final()]);
  } catch {
    return undefined;
  }
}

export function sealEndpoint(key: Buffer, plain: Uint8Array): Uint8Array {
  if (plain.length > 255) throw new Error("discovery endpoint message is longer than 255 bytes");
  const padded = Buffer.alloc(Math.ceil((plain.length + 1) / BLOCK) * BLOCK);
  padded[0] = plain.length;
  padded.set(plain, 1);
  const c = createCipheriv("aes-256-ecb", key, null).setAutoPadding(false);
  return Buffer.concat([c.update(padded), c.final()]);
}

export function openEndpoint(key: Buffer, sealed: Uint8Array): Uint8Array | undefined {
  if (sealed.length === 0 || sealed.length % BLOCK !== 0) return undefined;
  const d = createDecipheriv("aes-256-ecb", key, null).setAutoPadding(false);
  const plain = Buffer.concat([d.update(sealed), d.final()]);
  const size = plain[0] ?? 0;
  return size + 1 <= plain.length ? plain.subarray(1, 1 + size) : undefined;
}
