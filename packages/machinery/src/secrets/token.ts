import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
/** 252 is the largest multiple of 36 below 256: bytes from 252 up would bias the first four characters. */
const MAX_BYTE = 252;

/** The format of Kubernetes bootstrap tokens and of Talos's trustd token: `[0-9a-z]{6}.[0-9a-z]{16}`. */
export const TOKEN_PATTERN = /^[0-9a-z]{6}\.[0-9a-z]{16}$/;

/** A uniformly random string over `[0-9a-z]`, by rejection sampling of random bytes. */
export function randomTokenString(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b >= MAX_BYTE) continue;
      out += ALPHABET[b % ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new token `abcdef.0123456789abcdef` (6 + 16 characters), as Talos generates bootstrap and trustd tokens. */
export function generateToken(): string {
  return `${randomTokenString(6)}.${randomTokenString(16)}`;
}
