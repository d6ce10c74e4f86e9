import { TALOS_API_CLIENT_CERT_LIFETIME_MS } from "../constants/index.ts";
import type { CertificateAndKeyPem } from "./certificate-and-key.ts";
import { type CertificateAuthority, loadCertificateAuthority } from "./certificate-authority.ts";
import {
  buildName,
  type ExtKeyUsage,
  extKeyUsageExtension,
  isEmptyName,
  type KeyUsage,
  keyUsageExtension,
  type SanOptions,
  type SubjectOptions,
  sanExtension,
  signCertificate,
  wholeSeconds,
} from "./certificate-builder.ts";
import { parseCertificatePem } from "./inspect-certificate.ts";
import {
  encodePrivateKeyPem,
  generatePrivateKey,
  type KeyAlgorithm,
  type PrivateKey,
  publicKeySpki,
} from "./private-key.ts";
import { x509 } from "./x509.ts";

/** Lifetime siderolabs/crypto gives a leaf certificate when none is asked for: 24 hours. */
export const DEFAULT_CERTIFICATE_LIFETIME_MS = 24 * 3600 * 1000;

/** What goes into a leaf certificate besides the key. */
export interface CertificateOptions extends SubjectOptions, SanOptions {
  /** Default `["digitalSignature"]`. */
  readonly keyUsage?: readonly KeyUsage[];
  /** Default `["serverAuth", "clientAuth"]` (siderolabs/crypto's default). */
  readonly extKeyUsage?: readonly ExtKeyUsage[];
  /** Default {@link DEFAULT_CERTIFICATE_LIFETIME_MS}. */
  readonly lifetimeMs?: number;
  /** Start of validity; default now. */
  readonly notBefore?: Date;
}

/** A leaf certificate plus the key to generate for it. */
export interface IssueCertificateOptions extends CertificateOptions {
  /** Key type of the new key; default follows the CA (Ed25519 CA → Ed25519, ECDSA → P-256, RSA → RSA). */
  readonly keyAlgorithm?: KeyAlgorithm;
  /** RSA modulus size; default 4096. */
  readonly rsaBits?: number;
}

/**
 * Certifies an existing public key (SubjectPublicKeyInfo DER) with the CA, the way siderolabs/crypto's
 * `NewCertificateFromCSR` fills the template: not a CA, Authority Key Identifier = the CA's SKI when it
 * has one, SANs critical only for an empty subject. Returns the certificate PEM.
 */
export async function certifyPublicKey(
  ca: CertificateAndKeyPem | CertificateAuthority,
  spki: Uint8Array,
  subject: x509.Name,
  opts: CertificateOptions,
): Promise<string> {
  const authority = loadCertificateAuthority(ca);
  const caCert = parseCertificatePem(authority.crt, "CA certificate");
  const notBefore = wholeSeconds(opts.notBefore ?? new Date());
  const extensions: x509.Extension[] = [
    keyUsageExtension(opts.keyUsage ?? ["digitalSignature"]),
    extKeyUsageExtension(opts.extKeyUsage ?? ["serverAuth", "clientAuth"]),
  ];
  const ski = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski !== null) extensions.push(new x509.AuthorityKeyIdentifierExtension(ski.keyId));
  const san = sanExtension(opts, isEmptyName(subject));
  if (san !== undefined) extensions.push(san);
  const { pem } = await signCertificate(
    {
      subject,
      issuer: caCert.subjectName,
      spki,
      notBefore,
      notAfter: new Date(notBefore.getTime() + (opts.lifetimeMs ?? DEFAULT_CERTIFICATE_LIFETIME_MS)),
      extensions,
    },
    authority.privateKey,
    leafHash(authority.privateKey),
  );
  return pem;
}

/** Leaves are signed with SHA-256 by ECDSA CAs whatever the CA's own hash (as siderolabs/crypto does). */
function leafHash(key: PrivateKey): "SHA-256" | "SHA-512" | undefined {
  if (key.algorithm === "ecdsa" && key.curve === "P-256") return "SHA-256";
  return undefined;
}

/**
 * Generates a key and a certificate for it signed by the CA (siderolabs/crypto `NewKeyPair`).
 *
 * @throws {PkiError} for a CA that does not load or an invalid SAN.
 */
export async function issueCertificate(
  ca: CertificateAndKeyPem | CertificateAuthority,
  opts: IssueCertificateOptions = {},
): Promise<CertificateAndKeyPem> {
  const authority = loadCertificateAuthority(ca);
  const key = await generatePrivateKey(opts.keyAlgorithm ?? authority.privateKey.algorithm, { rsaBits: opts.rsaBits });
  const crt = await certifyPublicKey(authority, publicKeySpki(key), buildName(opts), opts);
  return { crt, key: encodePrivateKeyPem(key) };
}

/** Options of {@link issueClientCertificate}. */
export interface ClientCertificateOptions {
  /** Talos API roles, written as the subject's Organization list (e.g. `os:admin`). */
  readonly roles: readonly string[];
  /** Default one year (`TalosAPIDefaultCertificateValidityDuration`, 8760 h). */
  readonly lifetimeMs?: number;
  readonly notBefore?: Date;
}

/**
 * Issues a Talos API client certificate (the talosconfig admin certificate, `GenerateClientConfiguration`):
 * Organization = the roles (sorted, de-duplicated, as Talos's role set prints them), no CommonName,
 * KeyUsage DigitalSignature, ExtKeyUsage ClientAuth only; the key type follows the OS CA (Ed25519).
 */
export function issueClientCertificate(
  osCA: CertificateAndKeyPem | CertificateAuthority,
  opts: ClientCertificateOptions,
): Promise<CertificateAndKeyPem> {
  const roles = [...new Set(opts.roles.map((r) => r.trim()).filter((r) => r !== ""))].sort();
  return issueCertificate(osCA, {
    organization: roles,
    keyUsage: ["digitalSignature"],
    extKeyUsage: ["clientAuth"],
    lifetimeMs: opts.lifetimeMs ?? TALOS_API_CLIENT_CERT_LIFETIME_MS,
    notBefore: opts.notBefore,
  });
}

/** Options of {@link issueServerCertificate}. */
export interface ServerCertificateOptions extends SubjectOptions, SanOptions {
  /** Default `["digitalSignature"]`; trustd's own certificate adds `keyEncipherment`. */
  readonly keyUsage?: readonly KeyUsage[];
  /** Default 24 hours. */
  readonly lifetimeMs?: number;
  readonly notBefore?: Date;
}

/** Issues a server certificate (apid, trustd, etcd…): ExtKeyUsage ServerAuth only, with the given SANs. */
export function issueServerCertificate(
  ca: CertificateAndKeyPem | CertificateAuthority,
  opts: ServerCertificateOptions,
): Promise<CertificateAndKeyPem> {
  return issueCertificate(ca, { ...opts, extKeyUsage: ["serverAuth"] });
}
