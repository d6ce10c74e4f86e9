import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject, type webcrypto } from "node:crypto";
import { decodePem, encodePem, PEM_LABEL } from "./pem.ts";
import { PkiError } from "./pki-error.ts";

/** Key types Talos uses: Ed25519 (Talos API), ECDSA (Kubernetes, etcd), RSA (old contracts, `gen ca --rsa`). */
export type KeyAlgorithm = "ed25519" | "ecdsa" | "rsa";

/** NIST curves accepted for ECDSA keys; Talos generates P-256 only, others may come from existing PKI. */
export type EcCurve = "P-256" | "P-384" | "P-521";

/** A private key: its type and the Node key object (which also yields the public key). */
export interface PrivateKey {
  readonly algorithm: KeyAlgorithm;
  /** Set for ECDSA keys. */
  readonly curve?: EcCurve;
  readonly keyObject: KeyObject;
}

/** RSA modulus size Talos uses for RSA keys (siderolabs/crypto default). */
export const DEFAULT_RSA_BITS = 4096;

/** Options of {@link generatePrivateKey}. */
export interface GenerateKeyOptions {
  /** RSA modulus size in bits; default {@link DEFAULT_RSA_BITS}. */
  readonly rsaBits?: number;
}

/** Generates a key pair: Ed25519, ECDSA on P-256, or RSA (4096 bits unless told). */
export function generatePrivateKey(algorithm: KeyAlgorithm, opts: GenerateKeyOptions = {}): Promise<PrivateKey> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, _pub: KeyObject, priv: KeyObject): void => {
      if (err !== null) reject(err);
      else
        resolve(
          algorithm === "ecdsa" ? { algorithm, curve: "P-256", keyObject: priv } : { algorithm, keyObject: priv },
        );
    };
    switch (algorithm) {
      case "ed25519":
        generateKeyPair("ed25519", undefined, done);
        break;
      case "ecdsa":
        generateKeyPair("ec", { namedCurve: "P-256" }, done);
        break;
      case "rsa":
        generateKeyPair("rsa", { modulusLength: opts.rsaBits ?? DEFAULT_RSA_BITS, publicExponent: 0x10001 }, done);
        break;
    }
  });
}

/**
 * Encodes a private key the way Talos stores it: Ed25519 as PKCS#8 under `ED25519 PRIVATE KEY`, ECDSA as
 * SEC1 under `EC PRIVATE KEY`, RSA as PKCS#1 under `RSA PRIVATE KEY`.
 */
export function encodePrivateKeyPem(key: PrivateKey): string {
  switch (key.algorithm) {
    case "ed25519":
      return encodePem(PEM_LABEL.ed25519PrivateKey, der(key.keyObject.export({ type: "pkcs8", format: "der" })));
    case "ecdsa":
      return encodePem(PEM_LABEL.ecPrivateKey, der(key.keyObject.export({ type: "sec1", format: "der" })));
    case "rsa":
      return encodePem(PEM_LABEL.rsaPrivateKey, der(key.keyObject.export({ type: "pkcs1", format: "der" })));
  }
}

/** PKCS#8 DER of the key, the form WebCrypto and OpenSSL's `PRIVATE KEY` use. */
export function privateKeyPkcs8(key: PrivateKey): Uint8Array {
  return der(key.keyObject.export({ type: "pkcs8", format: "der" }));
}

const PRIVATE_LABELS = [
  PEM_LABEL.ed25519PrivateKey,
  PEM_LABEL.ecPrivateKey,
  PEM_LABEL.rsaPrivateKey,
  PEM_LABEL.privateKey,
];

/**
 * Reads a private key from PEM: Talos's labels (`ED25519 PRIVATE KEY` is relabelled to PKCS#8 here, since
 * Node refuses it), `EC PRIVATE KEY`, `RSA PRIVATE KEY`, and standard PKCS#8 `PRIVATE KEY`.
 *
 * @param what names the input in error messages.
 * @throws {PkiError}
 */
export function decodePrivateKeyPem(pem: string, what = "private key"): PrivateKey {
  const block = decodePem(pem, what, PRIVATE_LABELS);
  const type =
    block.label === PEM_LABEL.ecPrivateKey ? "sec1" : block.label === PEM_LABEL.rsaPrivateKey ? "pkcs1" : "pkcs8";
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: Buffer.from(block.der), format: "der", type });
  } catch (e) {
    throw new PkiError(what, `cannot parse ${block.label}: ${(e as Error).message}`);
  }
  const key = fromKeyObject(keyObject, what);
  const expected: Partial<Record<string, KeyAlgorithm>> = {
    [PEM_LABEL.ed25519PrivateKey]: "ed25519",
    [PEM_LABEL.ecPrivateKey]: "ecdsa",
    [PEM_LABEL.rsaPrivateKey]: "rsa",
  };
  const want = expected[block.label];
  if (want !== undefined && want !== key.algorithm) {
    throw new PkiError(what, `PEM type "${block.label}" holds a ${key.algorithm} key`);
  }
  return key;
}

/** Wraps a Node key object, checking it is a key type we support. */
export function fromKeyObject(keyObject: KeyObject, what = "key"): PrivateKey {
  switch (keyObject.asymmetricKeyType) {
    case "ed25519":
      return { algorithm: "ed25519", keyObject };
    case "rsa":
      return { algorithm: "rsa", keyObject };
    case "ec": {
      const curve = curveOf(keyObject);
      if (curve === undefined) {
        throw new PkiError(what, `unsupported elliptic curve ${keyObject.asymmetricKeyDetails?.namedCurve ?? "?"}`);
      }
      return { algorithm: "ecdsa", curve, keyObject };
    }
    default:
      throw new PkiError(what, `unsupported key type ${keyObject.asymmetricKeyType ?? "?"}`);
  }
}

function curveOf(k: KeyObject): EcCurve | undefined {
  switch (k.asymmetricKeyDetails?.namedCurve) {
    case "prime256v1":
    case "P-256":
      return "P-256";
    case "secp384r1":
    case "P-384":
      return "P-384";
    case "secp521r1":
    case "P-521":
      return "P-521";
    default:
      return undefined;
  }
}

/** The public half as a key object. */
export function publicKeyOf(key: PrivateKey): KeyObject {
  return createPublicKey(key.keyObject);
}

/** SubjectPublicKeyInfo DER of the key's public half. */
export function publicKeySpki(key: PrivateKey | KeyObject): Uint8Array {
  const pub = "keyObject" in key ? publicKeyOf(key) : key.type === "public" ? key : createPublicKey(key);
  return der(pub.export({ type: "spki", format: "der" }));
}

/**
 * Encodes the public key with Talos's labels: `ED25519 PUBLIC KEY`, `EC PUBLIC KEY`, or `PUBLIC KEY` for
 * RSA, each wrapping SubjectPublicKeyInfo DER.
 */
export function encodePublicKeyPem(key: PrivateKey): string {
  const label =
    key.algorithm === "ed25519"
      ? PEM_LABEL.ed25519PublicKey
      : key.algorithm === "ecdsa"
        ? PEM_LABEL.ecPublicKey
        : PEM_LABEL.publicKey;
  return encodePem(label, publicKeySpki(key));
}

/**
 * Reads a public key from PEM: `ED25519 PUBLIC KEY`, `EC PUBLIC KEY`, `PUBLIC KEY` (all SPKI) or PKCS#1
 * `RSA PUBLIC KEY`.
 *
 * @throws {PkiError}
 */
export function decodePublicKeyPem(pem: string, what = "public key"): KeyObject {
  const labels = [PEM_LABEL.ed25519PublicKey, PEM_LABEL.ecPublicKey, PEM_LABEL.publicKey, PEM_LABEL.rsaPublicKey];
  const block = decodePem(pem, what, labels);
  try {
    return createPublicKey({
      key: Buffer.from(block.der),
      format: "der",
      type: block.label === PEM_LABEL.rsaPublicKey ? "pkcs1" : "spki",
    });
  } catch (e) {
    throw new PkiError(what, `cannot parse ${block.label}: ${(e as Error).message}`);
  }
}

/** Hash Talos signs with for a key: Ed25519 has none, ECDSA follows the curve, RSA uses SHA-512. */
export type SignatureHash = "SHA-256" | "SHA-384" | "SHA-512";

/** The WebCrypto key and algorithm to sign with `key`, for @peculiar/x509 generators. */
export function signingKey(
  key: PrivateKey,
  hash?: SignatureHash,
): { key: webcrypto.CryptoKey; algorithm: webcrypto.Algorithm } {
  switch (key.algorithm) {
    case "ed25519":
      return { key: key.keyObject.toCryptoKey({ name: "Ed25519" }, false, ["sign"]), algorithm: { name: "Ed25519" } };
    case "ecdsa": {
      const namedCurve = key.curve ?? "P-256";
      const defaultHash: SignatureHash =
        namedCurve === "P-256" ? "SHA-256" : namedCurve === "P-384" ? "SHA-384" : "SHA-512";
      const algorithm: webcrypto.EcdsaParams = { name: "ECDSA", hash: hash ?? defaultHash };
      return { key: key.keyObject.toCryptoKey({ name: "ECDSA", namedCurve }, false, ["sign"]), algorithm };
    }
    case "rsa": {
      // The hash of an RSA CryptoKey is fixed at import; @peculiar/x509 takes it from the key.
      const params: webcrypto.RsaHashedImportParams = { name: "RSASSA-PKCS1-v1_5", hash: hash ?? "SHA-512" };
      return { key: key.keyObject.toCryptoKey(params, false, ["sign"]), algorithm: params };
    }
  }
}

/** The public key as a WebCrypto key usable for verification (CSR creation needs the pair). */
export function verifyingKey(key: PrivateKey, hash?: SignatureHash): webcrypto.CryptoKey {
  const pub = publicKeyOf(key);
  switch (key.algorithm) {
    case "ed25519":
      return pub.toCryptoKey({ name: "Ed25519" }, true, ["verify"]);
    case "ecdsa":
      return pub.toCryptoKey({ name: "ECDSA", namedCurve: key.curve ?? "P-256" }, true, ["verify"]);
    case "rsa":
      return pub.toCryptoKey({ name: "RSASSA-PKCS1-v1_5", hash: hash ?? "SHA-512" }, true, ["verify"]);
  }
}

function der(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
