import { stringify } from "yaml";
import type { SecretsBundle } from "./secrets-bundle.ts";

/**
 * Writes the bundle as `talosctl gen secrets` does (Go yaml.v3): 4-space indentation, Talos's key order,
 * lower-cased Go field names, empty encryption secrets left out, no line folding of the long base64 values.
 */
export function encodeSecretsBundle(bundle: SecretsBundle): string {
  const { cluster, secrets, trustdinfo, certs } = bundle;
  const pair = (p: { crt: string; key: string }) => ({ crt: p.crt, key: p.key });
  const doc = {
    cluster: { id: cluster.id, secret: cluster.secret },
    secrets: {
      bootstraptoken: secrets.bootstraptoken,
      ...(nonEmpty(secrets.aescbcencryptionsecret) ? { aescbcencryptionsecret: secrets.aescbcencryptionsecret } : {}),
      ...(nonEmpty(secrets.secretboxencryptionsecret)
        ? { secretboxencryptionsecret: secrets.secretboxencryptionsecret }
        : {}),
    },
    trustdinfo: { token: trustdinfo.token },
    certs: {
      etcd: pair(certs.etcd),
      k8s: pair(certs.k8s),
      k8saggregator: pair(certs.k8saggregator),
      k8sserviceaccount: { key: certs.k8sserviceaccount.key },
      os: pair(certs.os),
    },
  };
  return stringify(doc, { indent: 4, lineWidth: 0 });
}

function nonEmpty(s: string | undefined): s is string {
  return s !== undefined && s !== "";
}
