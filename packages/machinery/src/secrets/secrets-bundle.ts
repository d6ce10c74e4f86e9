import { randomBytes } from "node:crypto";
import {
  contractAfter,
  currentContract,
  parseVersionContract,
  type VersionContract,
} from "../config/generate/version-contract.ts";
import { CA_LIFETIME_MS } from "../constants/index.ts";
import { encodeBase64, encodeBase64Url } from "./base64.ts";
import { type CertificateAndKeyPem, type EncodedCertAndKey, encodeCertAndKey } from "./certificate-and-key.ts";
import { createCertificateAuthority, loadCertificateAuthority } from "./certificate-authority.ts";
import { PkiError } from "./pki-error.ts";
import { decodePrivateKeyPem, encodePrivateKeyPem, generatePrivateKey } from "./private-key.ts";
import { generateToken, TOKEN_PATTERN } from "./token.ts";

/**
 * Talos's secrets bundle (`talosctl gen secrets`, `secrets.yaml`), field for field: the cluster identity,
 * the Kubernetes bootstrap token and encryption key, the trustd token and the four CAs plus the
 * service-account key. Every `crt`/`key` is standard base64 of PEM text, exactly as in the file.
 */
export interface SecretsBundle {
  readonly cluster: {
    /** Discovery cluster ID: padded URL-safe base64 of 32 random bytes. */
    readonly id: string;
    /** Discovery encryption key: base64 of 32 random bytes. */
    readonly secret: string;
  };
  readonly secrets: {
    /** Kubernetes bootstrap token `[0-9a-z]{6}.[0-9a-z]{16}` (`cluster.token`). */
    readonly bootstraptoken: string;
    /** base64 of 32 bytes (`cluster.secretboxEncryptionSecret`); contracts newer than v1.2. */
    readonly secretboxencryptionsecret?: string;
    /** base64 of 32 bytes (`cluster.aescbcEncryptionSecret`); contracts up to v1.2. */
    readonly aescbcencryptionsecret?: string;
  };
  readonly trustdinfo: {
    /** Token machines present to trustd (`machine.token`). */
    readonly token: string;
  };
  readonly certs: {
    /** etcd CA (`cluster.etcd.ca`). */
    readonly etcd: EncodedCertAndKey;
    /** Kubernetes CA (`cluster.ca`). */
    readonly k8s: EncodedCertAndKey;
    /** Kubernetes front-proxy (aggregation layer) CA (`cluster.aggregatorCA`). */
    readonly k8saggregator: EncodedCertAndKey;
    /** Service-account token signing key (`cluster.serviceAccount`). */
    readonly k8sserviceaccount: { readonly key: string };
    /** Talos API (OS) CA (`machine.ca`). */
    readonly os: EncodedCertAndKey;
  };
}

/** Material to take over instead of generating it (`gen secrets --from-kubernetes-pki`). */
export interface ExistingSecrets {
  readonly k8s?: CertificateAndKeyPem;
  readonly etcd?: CertificateAndKeyPem;
  readonly k8saggregator?: CertificateAndKeyPem;
  /** PEM private key. */
  readonly serviceAccountKey?: string;
  readonly bootstrapToken?: string;
}

/** Options of {@link generateSecretsBundle}. */
export interface GenerateSecretsBundleOptions {
  /** `--talos-version`: the Talos release to generate for (`v1.6`, `v0.8`, …); default the current one. */
  readonly talosVersion?: string;
  /** The same as an already parsed contract; wins over `talosVersion`. */
  readonly contract?: VersionContract;
  /** Generation time (NotBefore of the CAs); default now. */
  readonly now?: Date;
  readonly existing?: ExistingSecrets;
}

/**
 * Generates a secrets bundle as Talos does for the given version contract:
 * OS CA Ed25519 (O=talos); Kubernetes CA (O=kubernetes) and etcd CA (O=etcd) ECDSA P-256 with SHA-256,
 * ECDSA-SHA512 up to v0.12, RSA-4096/SHA-512 up to v0.8; aggregator CA ECDSA P-256 with an empty subject
 * (Talos asks for CN=front-proxy but its CA helper only copies Organization); all CAs valid 10 years from
 * now. Service-account key ECDSA P-256. Tokens `[0-9a-z]{6}.[0-9a-z]{16}`; secretbox key for contracts
 * after v1.2, AES-CBC key up to v1.2.
 *
 * @throws {Error} for an unparsable `talosVersion`; {@link PkiError} for unusable `existing` material.
 */
export async function generateSecretsBundle(opts: GenerateSecretsBundleOptions = {}): Promise<SecretsBundle> {
  const contract =
    opts.contract ?? (opts.talosVersion !== undefined ? parseVersionContract(opts.talosVersion) : currentContract);
  const now = opts.now ?? new Date();
  const existing = opts.existing ?? {};
  const ecdsaKeys = contractAfter(contract, 0, 8);
  const ecdsaHash = contractAfter(contract, 0, 12) ? "SHA-256" : "SHA-512";
  // Kubernetes and etcd CAs: RSA (signed SHA-512) before ECDSA keys existed, else ECDSA P-256.
  const clusterCA = (organization: string) =>
    createCertificateAuthority({
      organization: [organization],
      keyAlgorithm: ecdsaKeys ? "ecdsa" : "rsa",
      hash: ecdsaKeys ? ecdsaHash : "SHA-512",
      lifetimeMs: CA_LIFETIME_MS,
      notBefore: now,
    });
  const reuse = (pair: CertificateAndKeyPem | undefined, what: string) => {
    if (pair === undefined) return undefined;
    loadCertificateAuthority(pair, what);
    return pair;
  };

  const reuseKey = (pem: string) => {
    decodePrivateKeyPem(pem, "service account key");
    return pem;
  };

  const [etcd, k8s, k8saggregator, serviceAccountKey, os] = await Promise.all([
    reuse(existing.etcd, "etcd CA") ?? clusterCA("etcd"),
    reuse(existing.k8s, "Kubernetes CA") ?? clusterCA("kubernetes"),
    reuse(existing.k8saggregator, "aggregator CA") ??
      createCertificateAuthority({
        keyAlgorithm: "ecdsa",
        hash: ecdsaHash,
        lifetimeMs: CA_LIFETIME_MS,
        notBefore: now,
      }),
    existing.serviceAccountKey !== undefined
      ? reuseKey(existing.serviceAccountKey)
      : generatePrivateKey("ecdsa").then(encodePrivateKeyPem),
    createCertificateAuthority({
      organization: ["talos"],
      keyAlgorithm: "ed25519",
      lifetimeMs: CA_LIFETIME_MS,
      notBefore: now,
    }),
  ]);

  const bootstraptoken = existing.bootstrapToken ?? generateToken();
  if (!TOKEN_PATTERN.test(bootstraptoken)) {
    throw new PkiError(
      `bootstrap token ${JSON.stringify(bootstraptoken)}`,
      "expected the format [0-9a-z]{6}.[0-9a-z]{16}",
    );
  }
  const encryptionKey = encodeBase64(randomBytes(32));
  return {
    cluster: { id: encodeBase64Url(randomBytes(32)), secret: encodeBase64(randomBytes(32)) },
    secrets: contractAfter(contract, 1, 2)
      ? { bootstraptoken, secretboxencryptionsecret: encryptionKey }
      : { bootstraptoken, aescbcencryptionsecret: encryptionKey },
    trustdinfo: { token: generateToken() },
    certs: {
      etcd: encodeCertAndKey(etcd),
      k8s: encodeCertAndKey(k8s),
      k8saggregator: encodeCertAndKey(k8saggregator),
      k8sserviceaccount: { key: encodeBase64(serviceAccountKey) },
      os: encodeCertAndKey(os),
    },
  };
}
