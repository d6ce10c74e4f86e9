import { decodeCertAndKey, type EncodedCertAndKey, issueCertificate } from "../secrets/index.ts";

export interface AdminKubeconfigOptions {
  readonly clusterName: string;
  /** `cluster.controlPlane.endpoint`. */
  readonly endpoint: string;
  /** `cluster.ca` (base64 PEM pair): the Kubernetes CA. */
  readonly kubernetesCA: EncodedCertAndKey;
  /** `cluster.adminKubeconfig.certLifetime`; default one year. */
  readonly lifetimeMs?: number;
  readonly now?: Date;
}

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/**
 * An admin kubeconfig as Talos's Kubeconfig API returns it: cluster, user `admin@<cluster>` and context
 * `admin@<cluster>` (namespace default), with a fresh client certificate from the Kubernetes CA
 * (CN admin, O system:masters, valid from 10 s ago).
 */
export async function generateAdminKubeconfig(opts: AdminKubeconfigOptions): Promise<string> {
  const ca = decodeCertAndKey(opts.kubernetesCA, "cluster.ca");
  const now = opts.now ?? new Date();
  const client = await issueCertificate(ca, {
    commonName: "admin",
    organization: ["system:masters"],
    keyUsage: ["digitalSignature", "keyEncipherment"],
    extKeyUsage: ["clientAuth"],
    notBefore: new Date(now.getTime() - 10_000),
    lifetimeMs: opts.lifetimeMs ?? YEAR_MS,
  });
  const name = opts.clusterName;
  const user = `admin@${name}`;
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `    - name: ${name}`,
    "      cluster:",
    `        server: ${opts.endpoint}`,
    `        certificate-authority-data: ${b64(ca.crt)}`,
    "users:",
    `    - name: ${user}`,
    "      user:",
    `        client-certificate-data: ${b64(client.crt)}`,
    `        client-key-data: ${b64(client.key)}`,
    "contexts:",
    "    - context:",
    `        cluster: ${name}`,
    "        namespace: default",
    `        user: ${user}`,
    `      name: ${user}`,
    `current-context: ${user}`,
    "",
  ].join("\n");
}
