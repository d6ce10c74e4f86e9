import {
  DEFAULT_DNS_DOMAIN,
  DEFAULT_INSTALL_DISK,
  DEFAULT_INSTALLER_IMAGE,
  DEFAULT_KUBERNETES_VERSION,
  ROLE_ADMIN,
} from "../../constants/index.ts";
import { currentContract, type VersionContract } from "./version-contract.ts";

/** A certificate and key as they appear in configs and the secrets bundle: base64 of the PEM text. */
export interface EncodedCertAndKey {
  readonly crt: string;
  readonly key: string;
}

/**
 * The secrets generation needs, shaped like Talos's secrets bundle (`talosctl gen secrets`).
 * Any decoded bundle satisfies it.
 */
export interface GenerateSecrets {
  readonly cluster: { readonly id: string; readonly secret: string };
  readonly secrets: {
    readonly bootstraptoken: string;
    readonly secretboxencryptionsecret?: string;
    readonly aescbcencryptionsecret?: string;
  };
  readonly trustdinfo: { readonly token: string };
  readonly certs: {
    readonly etcd: EncodedCertAndKey;
    readonly k8s: EncodedCertAndKey;
    readonly k8saggregator?: EncodedCertAndKey;
    readonly k8sserviceaccount?: { readonly key: string };
    readonly os: EncodedCertAndKey;
  };
}

/** Everything `gen config` feeds into generation; optional fields take Talos's defaults. */
export interface GenerateInput {
  readonly clusterName: string;
  /** The Kubernetes API endpoint, `https://host:port`. */
  readonly endpoint: string;
  readonly secrets: GenerateSecrets;
  readonly kubernetesVersion?: string;
  readonly contract?: VersionContract;
  /** Install disk; an empty string leaves `machine.install.disk` out. */
  readonly installDisk?: string;
  readonly installImage?: string;
  readonly additionalSANs?: readonly string[];
  readonly dnsDomain?: string;
  readonly persist?: boolean;
  readonly debug?: boolean;
  readonly clusterDiscovery?: boolean;
  readonly kubeSpan?: boolean;
  /** Registry host → mirror endpoints (`--registry-mirror host=url`). */
  readonly registryMirrors?: Readonly<Record<string, readonly string[]>>;
  readonly allowSchedulingOnControlPlanes?: boolean;
  /** Endpoints written into the talosconfig context. */
  readonly talosconfigEndpoints?: readonly string[];
  /** Roles of the talosconfig client certificate. */
  readonly roles?: readonly string[];
}

/** The input with every default filled in. */
export type ResolvedInput = Required<Omit<GenerateInput, "registryMirrors">> & {
  readonly registryMirrors: Readonly<Record<string, readonly string[]>>;
};

export function resolveInput(input: GenerateInput): ResolvedInput {
  return {
    clusterName: input.clusterName,
    endpoint: input.endpoint,
    secrets: input.secrets,
    kubernetesVersion: (input.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION).replace(/^v/, ""),
    contract: input.contract ?? currentContract,
    installDisk: input.installDisk ?? DEFAULT_INSTALL_DISK,
    installImage: input.installImage ?? DEFAULT_INSTALLER_IMAGE,
    additionalSANs: input.additionalSANs ?? [],
    dnsDomain: input.dnsDomain ?? DEFAULT_DNS_DOMAIN,
    persist: input.persist ?? true,
    debug: input.debug ?? false,
    clusterDiscovery: input.clusterDiscovery ?? true,
    kubeSpan: input.kubeSpan ?? false,
    registryMirrors: input.registryMirrors ?? {},
    allowSchedulingOnControlPlanes: input.allowSchedulingOnControlPlanes ?? false,
    talosconfigEndpoints: input.talosconfigEndpoints ?? ["127.0.0.1"],
    roles: input.roles ?? [ROLE_ADMIN],
  };
}
