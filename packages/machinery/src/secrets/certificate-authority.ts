import type { CertificateAndKeyPem } from "./certificate-and-key.ts";
import {
  buildName,
  extKeyUsageExtension,
  isEmptyName,
  keyUsageExtension,
  type SanOptions,
  type SubjectOptions,
  sanExtension,
  signCertificate,
  wholeSeconds,
} from "./certificate-builder.ts";
import { parseCertificatePem } from "./inspect-certificate.ts";
import { PkiError } from "./pki-error.ts";
import {
  decodePrivateKeyPem,
  encodePrivateKeyPem,
  generatePrivateKey,
  type KeyAlgorithm,
  type PrivateKey,
  publicKeySpki,
  type SignatureHash,
} from "./private-key.ts";
import { x509 } from "./x509.ts";

/** A CA certificate and key (PEM) with the parsed key, ready to sign. */
export interface CertificateAuthority extends CertificateAndKeyPem {
  readonly privateKey: PrivateKey;
}

/** How to make a self-signed CA. */
export interface CertificateAuthorityOptions extends SubjectOptions, SanOptions {
  /** Key type; default `ed25519` (siderolabs/crypto's default). */
  readonly keyAlgorithm?: KeyAlgorithm;
  /** RSA modulus size; default 4096. */
  readonly rsaBits?: number;
  /** Signature hash for ECDSA (default SHA-256) and RSA (default SHA-512, as Talos signs RSA). */
  readonly hash?: SignatureHash;
  /** Validity in milliseconds from `notBefore`. */
  readonly lifetimeMs: number;
  /** Start of validity; default now. */
  readonly notBefore?: Date;
}

/**
 * Creates a self-signed CA the way Talos does (siderolabs/crypto `NewSelfSignedCertificateAuthority`):
 * random 128-bit serial, KeyUsage CertSign|DigitalSignature (critical), ExtKeyUsage ServerAuth+ClientAuth,
 * BasicConstraints CA:TRUE (critical), Subject Key Identifier = SHA-1 of the public key.
 *
 * Note: Talos's own CA helper only copies Organization into the subject; pass `commonName` only when you
 * want something Talos would not produce.
 */
export async function createCertificateAuthority(opts: CertificateAuthorityOptions): Promise<CertificateAuthority> {
  const algorithm = opts.keyAlgorithm ?? "ed25519";
  const privateKey = await generatePrivateKey(algorithm, { rsaBits: opts.rsaBits });
  const spki = publicKeySpki(privateKey);
  const name = buildName(opts);
  const notBefore = wholeSeconds(opts.notBefore ?? new Date());
  const publicKey = new x509.PublicKey(spki);
  const extensions: x509.Extension[] = [
    keyUsageExtension(["digitalSignature", "certSign"]),
    extKeyUsageExtension(["serverAuth", "clientAuth"]),
    new x509.BasicConstraintsExtension(true, undefined, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  const san = sanExtension(opts, isEmptyName(name));
  if (san !== undefined) extensions.push(san);
  const { pem } = await signCertificate(
    {
      subject: name,
      issuer: name,
      spki,
      notBefore,
      notAfter: new Date(notBefore.getTime() + opts.lifetimeMs),
      extensions,
    },
    privateKey,
    opts.hash,
  );
  return { crt: pem, key: encodePrivateKeyPem(privateKey), privateKey };
}

/**
 * Loads a CA from PEM, checking that the certificate parses and that the key belongs to it.
 *
 * @param what names the CA in error messages, e.g. `OS CA`.
 * @throws {PkiError}
 */
export function loadCertificateAuthority(pair: CertificateAndKeyPem, what = "CA"): CertificateAuthority {
  if ("privateKey" in pair) return pair as CertificateAuthority;
  const certificate = parseCertificatePem(pair.crt, `${what} certificate`);
  const privateKey = decodePrivateKeyPem(pair.key, `${what} key`);
  assertKeyMatches(certificate, privateKey, what);
  return { crt: pair.crt, key: pair.key, privateKey };
}

/** Throws unless the certificate certifies the private key's public half. */
export function assertKeyMatches(certificate: x509.X509Certificate, key: PrivateKey, what: string): void {
  const certSpki = Buffer.from(certificate.publicKey.rawData);
  if (!certSpki.equals(Buffer.from(publicKeySpki(key)))) {
    throw new PkiError(what, `the private key does not match the certificate`);
  }
}
