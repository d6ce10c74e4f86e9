import { createHash, createPublicKey, X509Certificate as NodeX509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate as AsnCertificate, Name as AsnName } from "@peculiar/asn1-x509";
import { type ExtKeyUsage, type KeyUsage, OID_COMMON_NAME, OID_ORGANIZATION } from "./certificate-builder.ts";
import { canonicalIPAddress } from "./ip-address.ts";
import { decodePem, PEM_LABEL } from "./pem.ts";
import { PkiError } from "./pki-error.ts";
import { type EcCurve, fromKeyObject, type KeyAlgorithm } from "./private-key.ts";
import { x509 } from "./x509.ts";

/** The parts of a distinguished name Talos uses. */
export interface NameInfo {
  /** Organization values in order; for Talos API client certificates these are the roles. */
  readonly organization: readonly string[];
  readonly commonName: string | undefined;
  /** RFC 4514-style text of the whole name, for display. */
  readonly text: string;
}

/** What `talosctl config info`, tests and the node need to know about a certificate. */
export interface CertificateInfo {
  readonly subject: NameInfo;
  readonly issuer: NameInfo;
  /** Lower-case hex, no leading zero byte. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly isCA: boolean;
  readonly keyUsage: readonly KeyUsage[];
  /** `serverAuth`/`clientAuth`, or the dotted OID of any other usage. */
  readonly extKeyUsage: readonly (ExtKeyUsage | string)[];
  readonly dnsNames: readonly string[];
  /** Addresses as Go prints them. */
  readonly ipAddresses: readonly string[];
  readonly publicKeyAlgorithm: KeyAlgorithm | "unknown";
  /** Set for ECDSA keys. */
  readonly curve?: EcCurve;
  /** Go's name for the signature algorithm: `Ed25519`, `ECDSA-SHA256`, `SHA512-RSA`, … (else the OID). */
  readonly signatureAlgorithm: string;
  /** `sha256:<hex>` over the SubjectPublicKeyInfo, as Talos's `x509.Hash` (the `gen ca` `.sha256` file). */
  readonly spkiHash: string;
}

const SIGNATURE_NAMES: Record<string, string> = {
  "1.3.101.112": "Ed25519",
  "1.2.840.10045.4.3.2": "ECDSA-SHA256",
  "1.2.840.10045.4.3.3": "ECDSA-SHA384",
  "1.2.840.10045.4.3.4": "ECDSA-SHA512",
  "1.2.840.113549.1.1.11": "SHA256-RSA",
  "1.2.840.113549.1.1.12": "SHA384-RSA",
  "1.2.840.113549.1.1.13": "SHA512-RSA",
};

const KEY_USAGE_BITS: readonly [KeyUsage, number][] = [
  ["digitalSignature", x509.KeyUsageFlags.digitalSignature],
  ["contentCommitment", x509.KeyUsageFlags.nonRepudiation],
  ["keyEncipherment", x509.KeyUsageFlags.keyEncipherment],
  ["dataEncipherment", x509.KeyUsageFlags.dataEncipherment],
  ["keyAgreement", x509.KeyUsageFlags.keyAgreement],
  ["certSign", x509.KeyUsageFlags.keyCertSign],
  ["crlSign", x509.KeyUsageFlags.cRLSign],
];

const EXT_KEY_USAGE_NAMES: Record<string, ExtKeyUsage> = {
  [x509.ExtendedKeyUsage.serverAuth]: "serverAuth",
  [x509.ExtendedKeyUsage.clientAuth]: "clientAuth",
};

/**
 * Parses the first `CERTIFICATE` PEM block.
 *
 * @throws {PkiError}
 */
export function parseCertificatePem(pem: string, what = "certificate"): x509.X509Certificate {
  const block = decodePem(pem, what, [PEM_LABEL.certificate]);
  try {
    return new x509.X509Certificate(block.der);
  } catch (e) {
    throw new PkiError(what, `cannot parse X.509 certificate: ${(e as Error).message}`);
  }
}

/** Reads Organization and CommonName out of a DER name. */
export function nameInfo(name: x509.Name): NameInfo {
  const asn = AsnConvert.parse(name.toArrayBuffer(), AsnName);
  const organization: string[] = [];
  let commonName: string | undefined;
  for (const rdn of asn) {
    for (const attr of rdn) {
      if (attr.type === OID_ORGANIZATION) organization.push(attr.value.toString());
      else if (attr.type === OID_COMMON_NAME) commonName ??= attr.value.toString();
    }
  }
  return { organization, commonName, text: name.toString() };
}

/** Reads the SANs of a SAN extension (certificate or CSR) into DNS names and Go-formatted IPs. */
export function sanNames(ext: x509.SubjectAlternativeNameExtension | null): {
  dnsNames: string[];
  ipAddresses: string[];
} {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const n of ext?.names.items ?? []) {
    if (n.type === "dns") dnsNames.push(n.value);
    else if (n.type === "ip") ipAddresses.push(canonicalIPAddress(n.value) ?? n.value);
  }
  return { dnsNames, ipAddresses };
}

/** Key type (and curve) of a SubjectPublicKeyInfo. */
export function publicKeyAlgorithmOf(spki: Uint8Array): { algorithm: KeyAlgorithm | "unknown"; curve?: EcCurve } {
  try {
    const key = fromKeyObject(createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" }));
    return key.curve !== undefined ? { algorithm: key.algorithm, curve: key.curve } : { algorithm: key.algorithm };
  } catch {
    return { algorithm: "unknown" };
  }
}

/** `sha256:<hex>` over a SubjectPublicKeyInfo DER. */
export function spkiHashOf(spki: Uint8Array): string {
  return `sha256:${createHash("sha256").update(spki).digest("hex")}`;
}

/**
 * Describes a PEM certificate: subject Organization list and CommonName, validity, SANs, CA flag, key
 * usages, key and signature algorithms.
 *
 * @throws {PkiError} when the PEM or the certificate cannot be parsed.
 */
export function inspectCertificate(pem: string, what = "certificate"): CertificateInfo {
  const cert = parseCertificatePem(pem, what);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  const spki = new Uint8Array(cert.publicKey.rawData);
  const sigOid = AsnConvert.parse(cert.rawData, AsnCertificate).signatureAlgorithm.algorithm;
  const usages = ku?.usages ?? 0;
  return {
    subject: nameInfo(cert.subjectName),
    issuer: nameInfo(cert.issuerName),
    serialNumber: cert.serialNumber.toLowerCase().replace(/^(?:00)+(?=.)/, ""),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    isCA: bc?.ca ?? false,
    keyUsage: KEY_USAGE_BITS.filter(([, bit]) => (usages & bit) !== 0).map(([name]) => name),
    extKeyUsage: Array.from(eku?.usages ?? [], (u) => EXT_KEY_USAGE_NAMES[String(u)] ?? String(u)),
    ...sanNames(cert.getExtension(x509.SubjectAlternativeNameExtension)),
    ...(() => {
      const { algorithm, curve } = publicKeyAlgorithmOf(spki);
      return curve !== undefined ? { publicKeyAlgorithm: algorithm, curve } : { publicKeyAlgorithm: algorithm };
    })(),
    signatureAlgorithm: SIGNATURE_NAMES[sigOid] ?? sigOid,
    spkiHash: spkiHashOf(spki),
  };
}

/** `sha256:<hex>` of the certificate's SubjectPublicKeyInfo (Talos's `x509.Hash`). */
export function certificateSpkiHash(pem: string): string {
  return spkiHashOf(new Uint8Array(parseCertificatePem(pem).publicKey.rawData));
}

/** Options of {@link verifyCertificate}. */
export interface VerifyOptions {
  /** Also require both certificates to be valid at this time. */
  readonly at?: Date;
}

/**
 * Whether `certPem` was issued by the CA in `caPem`: the CA certificate is a CA, names and key identifiers
 * chain, and the signature verifies with the CA's key. With `at`, both must also be within validity.
 *
 * @throws {PkiError} when either PEM cannot be parsed.
 */
export function verifyCertificate(certPem: string, caPem: string, opts: VerifyOptions = {}): boolean {
  const cert = nodeCertificate(certPem, "certificate");
  const ca = nodeCertificate(caPem, "CA certificate");
  if (!ca.ca || !cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  if (opts.at !== undefined) {
    const t = opts.at.getTime();
    for (const c of [cert, ca]) {
      if (t < c.validFromDate.getTime() || t > c.validToDate.getTime()) return false;
    }
  }
  return true;
}

function nodeCertificate(pem: string, what: string): NodeX509Certificate {
  const block = decodePem(pem, what, [PEM_LABEL.certificate]);
  try {
    return new NodeX509Certificate(Buffer.from(block.der));
  } catch (e) {
    throw new PkiError(what, `cannot parse X.509 certificate: ${(e as Error).message}`);
  }
}
