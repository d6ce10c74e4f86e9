/**
 * The shared steps of building an X.509 certificate the way Go's `crypto/x509` (via siderolabs/crypto)
 * does for Talos: subject layout, serial numbers, extension contents and order, signing.
 * Internal to the secrets module.
 */
import { randomBytes } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Name as AsnName, AttributeTypeAndValue, RelativeDistinguishedName } from "@peculiar/asn1-x509";
import { canonicalIPAddress } from "./ip-address.ts";
import { encodePem, PEM_LABEL } from "./pem.ts";
import { PkiError } from "./pki-error.ts";
import { type PrivateKey, type SignatureHash, signingKey } from "./private-key.ts";
import { x509 } from "./x509.ts";

/** KeyUsage bits, named as in Go (`x509.KeyUsageDigitalSignature` → `digitalSignature`). */
export type KeyUsage =
  | "digitalSignature"
  | "contentCommitment"
  | "keyEncipherment"
  | "dataEncipherment"
  | "keyAgreement"
  | "certSign"
  | "crlSign";

/** Extended key usages Talos uses. */
export type ExtKeyUsage = "serverAuth" | "clientAuth";

/** Subject fields Talos sets: Organization (a list; roles for Talos API clients) and CommonName. */
export interface SubjectOptions {
  readonly organization?: readonly string[];
  readonly commonName?: string;
}

/** Subject Alternative Names. */
export interface SanOptions {
  readonly dnsNames?: readonly string[];
  /** IPv4 or IPv6 addresses; IPv4-mapped IPv6 is stored as IPv4, as Go does. */
  readonly ipAddresses?: readonly string[];
}

/** Attribute type OIDs of the subject fields Talos uses. */
export const OID_ORGANIZATION = "2.5.4.10";
export const OID_COMMON_NAME = "2.5.4.3";

const KEY_USAGE_FLAGS: Record<KeyUsage, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  contentCommitment: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  certSign: x509.KeyUsageFlags.keyCertSign,
  crlSign: x509.KeyUsageFlags.cRLSign,
};

const EXT_KEY_USAGE_OIDS: Record<ExtKeyUsage, string> = {
  serverAuth: x509.ExtendedKeyUsage.serverAuth,
  clientAuth: x509.ExtendedKeyUsage.clientAuth,
};

/** Go writes a string as PrintableString when every character allows it (plus `*`), else as UTF8String. */
function attribute(type: string, value: string): AttributeTypeAndValue {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?*]*$/.test(value);
  const attr = new AttributeTypeAndValue({ type });
  if (printable) attr.value.printableString = value;
  else attr.value.utf8String = value;
  return attr;
}

/** DER SET OF members are sorted by their encoding (Go's encoder does this since 1.15). */
function sortedSet(attrs: AttributeTypeAndValue[]): AttributeTypeAndValue[] {
  const encoded = attrs.map((a) => ({ a, der: Buffer.from(AsnConvert.serialize(a)) }));
  encoded.sort((x, y) => Buffer.compare(x.der, y.der));
  return encoded.map((e) => e.a);
}

/**
 * Builds a subject as Go's `pkix.Name.ToRDNSequence` lays it out: all Organization values in one
 * (multi-valued) RDN, then CommonName. Empty fields are left out, so an empty subject is an empty sequence.
 */
export function buildName(subject: SubjectOptions): x509.Name {
  const rdns: RelativeDistinguishedName[] = [];
  const orgs = subject.organization ?? [];
  if (orgs.length > 0)
    rdns.push(new RelativeDistinguishedName(sortedSet(orgs.map((o) => attribute(OID_ORGANIZATION, o)))));
  if (subject.commonName !== undefined && subject.commonName !== "") {
    rdns.push(new RelativeDistinguishedName([attribute(OID_COMMON_NAME, subject.commonName)]));
  }
  return new x509.Name(AsnConvert.serialize(new AsnName(rdns)));
}

/** The same name with every Organization attribute removed (trustd's treatment of worker CSRs). */
export function withoutOrganization(name: x509.Name): x509.Name {
  const asn = AsnConvert.parse(name.toArrayBuffer(), AsnName);
  const kept = asn
    .map((rdn) => new RelativeDistinguishedName(rdn.filter((a) => a.type !== OID_ORGANIZATION)))
    .filter((rdn) => rdn.length > 0);
  return new x509.Name(AsnConvert.serialize(new AsnName(kept)));
}

/** True when the name has no attributes at all. */
export function isEmptyName(name: x509.Name): boolean {
  return AsnConvert.parse(name.toArrayBuffer(), AsnName).every((rdn) => rdn.length === 0);
}

/** A random 128-bit serial (hex); @peculiar/x509 encodes it as a positive minimal INTEGER, like Go's big.Int. */
export function randomSerial(): string {
  return randomBytes(16).toString("hex");
}

/** The KeyUsage extension, critical as Go writes it. */
export function keyUsageExtension(usages: readonly KeyUsage[]): x509.KeyUsagesExtension {
  const flags = usages.reduce((acc, u) => acc | KEY_USAGE_FLAGS[u], 0);
  return new x509.KeyUsagesExtension(flags, true);
}

/** The ExtendedKeyUsage extension (not critical). */
export function extKeyUsageExtension(usages: readonly ExtKeyUsage[]): x509.ExtendedKeyUsageExtension {
  return new x509.ExtendedKeyUsageExtension(
    usages.map((u) => EXT_KEY_USAGE_OIDS[u]),
    false,
  );
}

/**
 * The SAN extension, or `undefined` when there are no names. Go lists DNS names before IPs and marks the
 * extension critical only when the subject is empty (RFC 5280 §4.2.1.6).
 *
 * @throws {PkiError} for an address that is not an IP or a DNS name that is not ASCII.
 */
export function sanExtension(
  sans: SanOptions,
  subjectEmpty: boolean,
): x509.SubjectAlternativeNameExtension | undefined {
  const names: x509.JsonGeneralName[] = [];
  for (const dns of sans.dnsNames ?? []) {
    if (!/^[\x20-\x7e]*$/.test(dns))
      throw new PkiError("subjectAltName", `DNS name ${JSON.stringify(dns)} is not ASCII`);
    names.push({ type: "dns", value: dns });
  }
  for (const ip of sans.ipAddresses ?? []) {
    const canonical = canonicalIPAddress(ip);
    if (canonical === undefined) throw new PkiError("subjectAltName", `invalid IP address ${JSON.stringify(ip)}`);
    names.push({ type: "ip", value: expandForConverter(canonical) });
  }
  if (names.length === 0) return undefined;
  return new x509.SubjectAlternativeNameExtension(names, subjectEmpty);
}

/** The ASN.1 library's IP converter only understands "::" at most once and no embedded IPv4: expand IPv6. */
function expandForConverter(ip: string): string {
  if (!ip.includes(":")) return ip;
  const [left = "", right = ""] = ip.split("::");
  if (!ip.includes("::")) return ip;
  const l = left === "" ? [] : left.split(":");
  const r = right === "" ? [] : right.split(":");
  return [...l, ...Array<string>(8 - l.length - r.length).fill("0"), ...r].join(":");
}

/** Everything a certificate needs besides the signature. */
export interface CertificateTemplate {
  readonly subject: x509.Name;
  readonly issuer: x509.Name;
  /** SubjectPublicKeyInfo DER of the certified key. */
  readonly spki: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly x509.Extension[];
}

/** Signs the template with `signer` and returns the certificate as PEM. */
export async function signCertificate(
  template: CertificateTemplate,
  signer: PrivateKey,
  hash?: SignatureHash,
): Promise<{ pem: string; certificate: x509.X509Certificate }> {
  const { key, algorithm } = signingKey(signer, hash);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: template.subject,
    issuer: template.issuer,
    notBefore: template.notBefore,
    notAfter: template.notAfter,
    publicKey: template.spki,
    signingKey: key,
    signingAlgorithm: algorithm,
    extensions: [...template.extensions],
  });
  return { pem: encodePem(PEM_LABEL.certificate, new Uint8Array(certificate.rawData)), certificate };
}

/** Certificates carry whole seconds; truncating up front keeps what we return equal to what we encode. */
export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
