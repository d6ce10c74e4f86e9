import { ConfigError, type ConfigIssue, type FieldPath } from "../config/errors.ts";
import { checkSecrets, isMissing, type SecretCheck } from "./check-secrets.ts";
import type { SecretsBundle } from "./secrets-bundle.ts";

/** Where each bundle secret lives in a v1alpha1 document (Talos's `NewBundleFromConfig`). */
const FIELDS = {
  clusterId: ["cluster", "id"],
  clusterSecret: ["cluster", "secret"],
  bootstrapToken: ["cluster", "token"],
  secretbox: ["cluster", "secretboxEncryptionSecret"],
  aescbc: ["cluster", "aescbcEncryptionSecret"],
  trustdToken: ["machine", "token"],
  etcd: ["cluster", "etcd", "ca"],
  k8s: ["cluster", "ca"],
  aggregator: ["cluster", "aggregatorCA"],
  serviceAccount: ["cluster", "serviceAccount", "key"],
  os: ["machine", "ca"],
} as const satisfies Record<string, FieldPath>;

/**
 * Rebuilds the secrets bundle from a control-plane machine config: the decoded v1alpha1 document as plain
 * data (`machine.ca`, `machine.token`, `cluster.id`, `cluster.secret`, `cluster.token`,
 * `cluster.secretboxEncryptionSecret` or `cluster.aescbcEncryptionSecret`, `cluster.ca`,
 * `cluster.aggregatorCA`, `cluster.serviceAccount`, `cluster.etcd.ca`). Every value is checked as the
 * bundle decoder checks it; problems are reported with their config paths.
 *
 * @param source the config's file name, for messages.
 * @throws {ConfigError} for a worker config (it carries no CA keys) or missing/invalid secrets.
 */
export function secretsBundleFromConfig(v1alpha1: Record<string, unknown>, source?: string): SecretsBundle {
  const get = (path: readonly string[]): unknown =>
    path.reduce<unknown>(
      (v, k) =>
        typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined,
      v1alpha1,
    );
  const name = source ?? "config";
  const type = get(["machine", "type"]);
  const caKeysMissing = isMissing(get([...FIELDS.os, "key"])) && isMissing(get([...FIELDS.k8s, "key"]));
  if (type === "worker" || ((type === undefined || type === "") && caKeysMissing)) {
    const what = type === "worker" ? "machine.type is worker" : "machine.ca.key and cluster.ca.key are empty";
    throw new ConfigError(
      [{ path: ["machine", "type"], message: `expected controlplane or init, got ${JSON.stringify(type ?? "")}` }],
      source,
      `${name}: this is a worker config (${what}); it carries no CA private keys, so secrets can only be ` +
        "taken from a controlplane config",
    );
  }

  const issues: ConfigIssue[] = [];
  const slot = (check: SecretCheck, path: FieldPath) => ({ path, check, value: get(path as string[]) });
  const aescbc = get(FIELDS.aescbc);
  const secretbox = get(FIELDS.secretbox);
  checkSecrets(
    [
      slot("text", FIELDS.clusterId),
      slot("base64", FIELDS.clusterSecret),
      slot("token", FIELDS.bootstrapToken),
      slot("text", FIELDS.trustdToken),
      slot("certAndKey", FIELDS.etcd),
      slot("certAndKey", FIELDS.k8s),
      slot("certAndKey", FIELDS.aggregator),
      slot("privateKey", FIELDS.serviceAccount),
      slot("certAndKey", FIELDS.os),
      ...(isMissing(aescbc) ? [] : [slot("aesKey", FIELDS.aescbc)]),
      ...(isMissing(secretbox) ? [] : [slot("key32", FIELDS.secretbox)]),
    ],
    issues,
  );
  if (isMissing(aescbc) && isMissing(secretbox)) {
    issues.push({ path: ["cluster"], message: "one of secretboxEncryptionSecret, aescbcEncryptionSecret is required" });
  } else if (!isMissing(aescbc) && !isMissing(secretbox)) {
    // A bundle holds one of them (Talos's bundle validation); keeping both would give an unreadable file.
    issues.push({
      path: ["cluster"],
      message: "only one of secretboxEncryptionSecret, aescbcEncryptionSecret is allowed",
    });
  }
  if (issues.length > 0) {
    throw new ConfigError(issues, source, `${name}: cannot take a secrets bundle from this config`);
  }

  const str = (path: readonly string[]) => get(path) as string;
  const pair = (path: readonly string[]) => ({ crt: str([...path, "crt"]), key: str([...path, "key"]) });
  return {
    cluster: { id: str(FIELDS.clusterId), secret: str(FIELDS.clusterSecret) },
    secrets: {
      bootstraptoken: str(FIELDS.bootstrapToken),
      ...(isMissing(aescbc) ? {} : { aescbcencryptionsecret: aescbc as string }),
      ...(isMissing(secretbox) ? {} : { secretboxencryptionsecret: secretbox as string }),
    },
    trustdinfo: { token: str(FIELDS.trustdToken) },
    certs: {
      etcd: pair(FIELDS.etcd),
      k8s: pair(FIELDS.k8s),
      k8saggregator: pair(FIELDS.aggregator),
      k8sserviceaccount: { key: str(FIELDS.serviceAccount) },
      os: pair(FIELDS.os),
    },
  };
}
