import { ROLE_ADMIN } from "../constants/index.ts";
import { decodeCertAndKey, type EncodedCertAndKey, issueClientCertificate } from "../secrets/index.ts";
import { newTalosConfig, type TalosConfig } from "./talos-config.ts";

export interface GenerateTalosConfigOptions {
  /** The context name; `gen config` uses the cluster name. */
  readonly contextName: string;
  /** The OS CA of the cluster (`certs.os` of the secrets bundle, base64 PEM). */
  readonly osCA: EncodedCertAndKey;
  /** Default `["127.0.0.1"]`, as `gen config` writes. */
  readonly endpoints?: readonly string[];
  readonly nodes?: readonly string[];
  /** Roles of the client certificate; default `os:admin`. */
  readonly roles?: readonly string[];
  /** Client certificate lifetime; default one year. */
  readonly lifetimeMs?: number;
}

/**
 * A talosconfig with one context holding a fresh client certificate signed by the OS CA (Organization =
 * roles), the CA certificate and the endpoints: what `talosctl gen config` writes as `talosconfig`.
 */
export async function generateTalosConfig(opts: GenerateTalosConfigOptions): Promise<TalosConfig> {
  const ca = decodeCertAndKey(opts.osCA, "OS CA (certs.os)");
  const client = await issueClientCertificate(ca, { roles: opts.roles ?? [ROLE_ADMIN], lifetimeMs: opts.lifetimeMs });
  return newTalosConfig(opts.contextName, {
    endpoints: opts.endpoints ?? ["127.0.0.1"],
    nodes: opts.nodes,
    ca: ca.crt,
    crt: client.crt,
    key: client.key,
  });
}
