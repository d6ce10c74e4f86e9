import { isIP } from "node:net";
import { decodeCertAndKey, issueCertificate, loadCertificateAuthority } from "@talos/machinery/secrets";

/** etcd's certificates (PEM), issued locally from the etcd CA as Talos's etcd.PKIController does. */
export interface EtcdCertificates {
  readonly ca: string;
  readonly server: { readonly cert: string; readonly key: string };
  readonly peer: { readonly cert: string; readonly key: string };
  /** Talos's own etcd client (CN `talos`). */
  readonly admin: { readonly cert: string; readonly key: string };
}

/** Ten years, as Talos issues etcd leaf certificates. */
const TEN_YEARS_MS = 87600 * 60 * 60 * 1000;

export async function issueEtcdCertificates(
  etcdCA: { crt: string; key: string },
  id: { hostname: string; addresses: readonly string[] },
): Promise<EtcdCertificates> {
  const ca = loadCertificateAuthority(decodeCertAndKey(etcdCA, "cluster.etcd.ca"), "cluster.etcd.ca");
  const ips = [...new Set(id.addresses.filter((a) => isIP(a) !== 0))];
  const server = await issueCertificate(ca, {
    commonName: id.hostname,
    dnsNames: [id.hostname, "localhost"],
    ipAddresses: [...new Set([...ips, "127.0.0.1", "::1"])],
    extKeyUsage: ["serverAuth", "clientAuth"],
    keyUsage: ["digitalSignature", "keyEncipherment"],
    lifetimeMs: TEN_YEARS_MS,
  });
  // etcd checks a peer's source IP against its certificate. Nodes that share a host on loopback addresses
  // connect out from 127.0.0.1, so their peer certificates name it too.
  const peerIps = ips.some((ip) => ip.startsWith("127.")) ? [...new Set([...ips, "127.0.0.1"])] : ips;
  const peer = await issueCertificate(ca, {
    commonName: id.hostname,
    dnsNames: [id.hostname],
    ipAddresses: peerIps,
    extKeyUsage: ["serverAuth", "clientAuth"],
    keyUsage: ["digitalSignature", "keyEncipherment"],
    lifetimeMs: TEN_YEARS_MS,
  });
  const admin = await issueCertificate(ca, {
    commonName: "talos",
    extKeyUsage: ["clientAuth"],
    keyUsage: ["digitalSignature", "keyEncipherment"],
    lifetimeMs: TEN_YEARS_MS,
  });
  return {
    ca: ca.crt,
    server: { cert: server.crt, key: server.key },
    peer: { cert: peer.crt, key: peer.key },
    admin: { cert: admin.crt, key: admin.key },
  };
}
