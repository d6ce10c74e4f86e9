import type { CertificateAndKeyPem } from "./certificate-and-key.ts";
import type { CertificateAuthority } from "./certificate-authority.ts";
import {
  buildName,
  isEmptyName,
  type SanOptions,
  type SubjectOptions,
  sanExtension,
  withoutOrganization,
} from "./certificate-builder.ts";
import { type NameInfo, nameInfo, publicKeyAlgorithmOf, sanNames } from "./inspect-certificate.ts";
import { type CertificateOptions, certifyPublicKey } from "./issue-certificate.ts";
import { decodePem, encodePem, PEM_LABEL } from "./pem.ts";
import { PkiError } from "./pki-error.ts";
import { type EcCurve, type KeyAlgorithm, type PrivateKey, signingKey, verifyingKey } from "./private-key.ts";
import { x509 } from "./x509.ts";

/** Subject and SANs of a CSR. */
export interface CertificateRequestOptions extends SubjectOptions, SanOptions {}

/**
 * Creates a PKCS#10 CSR signed by `key` (Ed25519 pure, ECDSA-SHA256, RSA-SHA512), with the subject and the
 * SANs in an extensionRequest attribute, like Go's `x509.CreateCertificateRequest`. Returns PEM.
 *
 * @throws {PkiError} for an invalid SAN.
 */
export async function createCertificateRequest(key: PrivateKey, opts: CertificateRequestOptions = {}): Promise<string> {
  const name = buildName(opts);
  const san = sanExtension(opts, isEmptyName(name));
  const hash = key.algorithm === "ecdsa" && key.curve === "P-256" ? "SHA-256" : undefined;
  const signer = signingKey(key, hash);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys: { privateKey: signer.key, publicKey: verifyingKey(key, hash) },
    signingAlgorithm: signer.algorithm,
    extensions: san !== undefined ? [san] : [],
  });
  return encodePem(PEM_LABEL.certificateRequest, new Uint8Array(csr.rawData));
}

/** What a CSR asks for. */
export interface CertificateRequestInfo {
  readonly subject: NameInfo;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly publicKeyAlgorithm: KeyAlgorithm | "unknown";
  readonly curve?: EcCurve;
}

/**
 * Parses a PEM CSR and checks its self-signature.
 *
 * @throws {PkiError} when it does not parse or the signature is wrong.
 */
export async function parseCertificateRequest(
  pem: string,
  what = "certificate request",
): Promise<{ csr: x509.Pkcs10CertificateRequest; info: CertificateRequestInfo }> {
  const block = decodePem(pem, what, [PEM_LABEL.certificateRequest]);
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(block.der);
  } catch (e) {
    throw new PkiError(what, `cannot parse PKCS#10 request: ${(e as Error).message}`);
  }
  let valid = false;
  try {
    valid = await csr.verify();
  } catch (e) {
    throw new PkiError(what, `cannot check the signature: ${(e as Error).message}`);
  }
  if (!valid) throw new PkiError(what, `signature does not verify`);
  const spki = new Uint8Array(csr.publicKey.rawData);
  const { algorithm, curve } = publicKeyAlgorithmOf(spki);
  const info: CertificateRequestInfo = {
    subject: nameInfo(csr.subjectName),
    ...sanNames(csr.extensions.find((e) => e instanceof x509.SubjectAlternativeNameExtension) ?? null),
    publicKeyAlgorithm: algorithm,
    ...(curve !== undefined ? { curve } : {}),
  };
  return { csr, info };
}

/** How a CA signs a CSR. */
export interface SignCertificateRequestOptions
  extends Pick<CertificateOptions, "keyUsage" | "extKeyUsage" | "lifetimeMs" | "notBefore"> {
  /**
   * Drop every Organization from the requested subject. trustd does this for worker CSRs so that a worker
   * can never obtain a certificate carrying Talos API roles.
   */
  readonly stripOrganization?: boolean;
}

/**
 * Signs a CSR with the CA (siderolabs/crypto `NewCertificateFromCSR`): the CSR's signature is checked, its
 * subject (optionally without Organization), DNS names and IPs are copied; KeyUsage, ExtKeyUsage and
 * lifetime come from the options (defaults: DigitalSignature, ServerAuth+ClientAuth, 24 h). Returns PEM.
 *
 * @throws {PkiError}
 */
export async function signCertificateRequest(
  ca: CertificateAndKeyPem | CertificateAuthority,
  csrPem: string,
  opts: SignCertificateRequestOptions = {},
): Promise<string> {
  const { csr, info } = await parseCertificateRequest(csrPem);
  const subject = opts.stripOrganization === true ? withoutOrganization(csr.subjectName) : csr.subjectName;
  return certifyPublicKey(ca, new Uint8Array(csr.publicKey.rawData), subject, {
    keyUsage: opts.keyUsage,
    extKeyUsage: opts.extKeyUsage,
    lifetimeMs: opts.lifetimeMs,
    notBefore: opts.notBefore,
    dnsNames: info.dnsNames,
    ipAddresses: info.ipAddresses,
  });
}
