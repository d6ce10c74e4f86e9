import { isIP } from "node:net";
import { ROLE_IMPERSONATOR } from "@talos/machinery/constants";
import {
  decodeCertAndKey,
  issueCertificate,
  issueServerCertificate,
  loadCertificateAuthority,
} from "@talos/machinery/secrets";

/** The apid certificates of a node, PEM, with keys relabelled for Node's TLS. */
export interface ApiCertificates {
  /** The OS CA certificate clients and peers are verified against. */
  readonly ca: string;
  readonly server: { readonly cert: string; readonly key: string };
  /** `os:impersonator` client certificate for forwarding to other nodes (control plane only). */
  readonly client?: { readonly cert: string; readonly key: string };
}

export interface ApiIdentity {
  readonly hostname: string;
  readonly addresses: readonly string[];
  readonly certSANs: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The Talos API's SAN set (`CertSAN/api`): IPs from the addresses and IP `machine.certSANs`, DNS names the
 * hostname and the other certSANs; each sorted, without duplicates.
 */
export function apiCertSANs(id: ApiIdentity): { ipAddresses: string[]; dnsNames: string[] } {
  const sans = [...id.addresses, ...id.certSANs];
  return {
    ipAddresses: [...new Set(sans.filter((s) => isIP(s) !== 0))].sort(),
    dnsNames: [...new Set([id.hostname, ...sans.filter((s) => isIP(s) === 0)])].sort(),
  };
}

/**
 * Issues a control plane node's API certificates locally from the OS CA: the server certificate (SANs:
 * addresses and `machine.certSANs` IPs, hostname and DNS certSANs; CN the hostname) and the impersonator
 * client certificate, both Ed25519 and valid 24 hours, as Talos issues them.
 */
export async function issueApiCertificates(
  osCA: { crt: string; key: string },
  id: ApiIdentity,
): Promise<ApiCertificates> {
  const ca = loadCertificateAuthority(decodeCertAndKey(osCA, "machine.ca"), "machine.ca");
  const { ipAddresses, dnsNames } = apiCertSANs(id);
  const server = await issueServerCertificate(ca, {
    commonName: id.hostname,
    ipAddresses,
    dnsNames,
    lifetimeMs: DAY_MS,
  });
  const client = await issueCertificate(ca, {
    commonName: id.hostname,
    organization: [ROLE_IMPERSONATOR],
    keyUsage: ["digitalSignature"],
    extKeyUsage: ["clientAuth"],
    lifetimeMs: DAY_MS,
  });
  return {
    ca: ca.crt,
    server: { cert: server.crt, key: nodeTlsKey(server.key) },
    client: { cert: client.crt, key: nodeTlsKey(client.key) },
  };
}

/** Node's TLS reads Ed25519 PKCS#8 keys only under the standard label, not Talos's own. */
export function nodeTlsKey(pem: string): string {
  return pem.replaceAll("ED25519 PRIVATE KEY", "PRIVATE KEY");
}

/** trustd's server certificate: the API SANs, KeyUsage DigitalSignature|KeyEncipherment, ServerAuth, 24 h. */
export async function issueTrustdCertificate(
  osCA: { crt: string; key: string },
  id: ApiIdentity,
): Promise<{ cert: string; key: string }> {
  const ca = loadCertificateAuthority(decodeCertAndKey(osCA, "machine.ca"), "machine.ca");
  const cert = await issueServerCertificate(ca, {
    commonName: id.hostname,
    ...apiCertSANs(id),
    keyUsage: ["digitalSignature", "keyEncipherment"],
    lifetimeMs: DAY_MS,
  });
  return { cert: cert.crt, key: nodeTlsKey(cert.key) };
}
