import {
  DEFAULT_KUBEPRISM_PORT,
  DEFAULT_POD_SUBNET_IPV4,
  DEFAULT_SERVICE_SUBNET_IPV4,
  KUBE_APISERVER_IMAGE,
  KUBE_CONTROLLER_MANAGER_IMAGE,
  KUBE_PROXY_IMAGE,
  KUBE_SCHEDULER_IMAGE,
  KUBELET_IMAGE,
} from "../../constants/index.ts";
import { type ConfigDocument, type MachineConfig, V1ALPHA1_KIND } from "../document.ts";
import { endpointHost, validateClusterEndpoint } from "./endpoint.ts";
import { type GenerateInput, type ResolvedInput, resolveInput } from "./input.ts";
import { defaultAuditPolicy, defaultPodSecurityConfiguration } from "./kubernetes-defaults.ts";
import { contractFeatures } from "./version-contract.ts";

/** The machine types `gen config` produces. `init` is the legacy first control plane node. */
export type GeneratedMachineType = "controlplane" | "worker" | "init";

type Obj = Record<string, unknown>;

export interface GenerateMachineConfigOptions {
  /**
   * The config will be written with docs (`gen config --with-docs`). Talos's generator sets the control plane's
   * `extraManifests` and `inlineManifests` to empty lists; its commented encoder keeps them (as `[]` followed by
   * commented examples) while the plain encoder drops them as empty, so they are present only in this mode.
   */
  readonly withDocs?: boolean;
}

/**
 * Generates the machine config of one machine type from the input, with Talos 1.6's defaults and field
 * order. Control plane configs carry the CA keys and the control plane components; worker configs carry
 * only the CA certificates (keys rendered as empty strings, as Talos does).
 */
export function generateMachineConfig(
  type: GeneratedMachineType,
  input: GenerateInput,
  opts: GenerateMachineConfigOptions = {},
): MachineConfig {
  const inp = resolveInput(input);
  const endpoint = validateClusterEndpoint(inp.endpoint);
  const controlPlane = type !== "worker";
  const value: Obj = {
    version: "v1alpha1",
    debug: inp.debug,
    persist: inp.persist,
    machine: machineSection(type, inp),
    cluster: clusterSection(controlPlane, inp, endpoint, opts.withDocs ?? false),
  };
  const doc: ConfigDocument = { kind: V1ALPHA1_KIND, apiVersion: undefined, name: undefined, value };
  return { documents: [doc] };
}

function machineSection(type: GeneratedMachineType, inp: ResolvedInput): Obj {
  const f = contractFeatures(inp.contract);
  const controlPlane = type !== "worker";
  const os = inp.secrets.certs.os;

  const kubelet: Obj = { image: `${KUBELET_IMAGE}:v${inp.kubernetesVersion}` };
  if (f.kubeletDefaultRuntimeSeccompProfile) kubelet["defaultRuntimeSeccompProfileEnabled"] = true;
  if (f.kubeletManifestsDirectoryDisabled) kubelet["disableManifestsDirectory"] = true;

  const network: Obj = {};
  if (inp.kubeSpan) network["kubespan"] = { enabled: true };

  const install: Obj = {};
  if (inp.installDisk !== "") install["disk"] = inp.installDisk;
  if (inp.installImage !== "") install["image"] = inp.installImage;
  install["wipe"] = false;

  const features: Obj = {};
  if (f.rbac) features["rbac"] = true;
  if (f.stableHostname) features["stableHostname"] = true;
  if (f.apidExtKeyUsageCheck) features["apidCheckExtKeyUsage"] = true;
  if (f.diskQuotaSupport) features["diskQuotaSupport"] = true;
  if (f.kubePrism) features["kubePrism"] = { enabled: true, port: DEFAULT_KUBEPRISM_PORT };

  const machine: Obj = {
    type,
    token: inp.secrets.trustdinfo.token,
    ca: { crt: os.crt, key: controlPlane ? os.key : "" },
    certSANs: [...inp.additionalSANs],
    kubelet,
    network,
    install,
  };
  const mirrors = Object.entries(inp.registryMirrors);
  if (mirrors.length > 0) {
    machine["registries"] = {
      mirrors: Object.fromEntries(mirrors.map(([host, endpoints]) => [host, { endpoints: [...endpoints] }])),
    };
  }
  machine["features"] = features;
  return machine;
}

function clusterSection(controlPlane: boolean, inp: ResolvedInput, endpoint: URL, withDocs: boolean): Obj {
  const f = contractFeatures(inp.contract);
  const s = inp.secrets;
  const k8sVersion = inp.kubernetesVersion;
  const cluster: Obj = {
    id: s.cluster.id,
    secret: s.cluster.secret,
    // Keep the endpoint as the user wrote it (URL parsing would drop a default port such as :443).
    controlPlane: { endpoint: inp.endpoint.trim() },
  };
  if (controlPlane) cluster["clusterName"] = inp.clusterName;
  cluster["network"] = {
    dnsDomain: inp.dnsDomain,
    podSubnets: [DEFAULT_POD_SUBNET_IPV4],
    serviceSubnets: [DEFAULT_SERVICE_SUBNET_IPV4],
  };
  cluster["token"] = s.secrets.bootstraptoken;

  if (controlPlane) {
    if (f.secretboxEncryption) cluster["secretboxEncryptionSecret"] = s.secrets.secretboxencryptionsecret ?? "";
    else cluster["aescbcEncryptionSecret"] = s.secrets.aescbcencryptionsecret ?? "";
  }
  cluster["ca"] = { crt: s.certs.k8s.crt, key: controlPlane ? s.certs.k8s.key : "" };

  if (controlPlane) {
    if (f.aggregatorCA && s.certs.k8saggregator !== undefined) {
      cluster["aggregatorCA"] = { crt: s.certs.k8saggregator.crt, key: s.certs.k8saggregator.key };
    }
    if (f.serviceAccount && s.certs.k8sserviceaccount !== undefined) {
      cluster["serviceAccount"] = { key: s.certs.k8sserviceaccount.key };
    }
    const apiServer: Obj = {
      image: `${KUBE_APISERVER_IMAGE}:v${k8sVersion}`,
      certSANs: apiServerSANs(endpoint, inp.additionalSANs),
      disablePodSecurityPolicy: true,
    };
    if (f.podSecurityAdmission) {
      apiServer["admissionControl"] = [{ name: "PodSecurity", configuration: defaultPodSecurityConfiguration() }];
    }
    if (f.apiServerAuditPolicy) apiServer["auditPolicy"] = defaultAuditPolicy();
    cluster["apiServer"] = apiServer;
    cluster["controllerManager"] = { image: `${KUBE_CONTROLLER_MANAGER_IMAGE}:v${k8sVersion}` };
    cluster["proxy"] = { image: `${KUBE_PROXY_IMAGE}:v${k8sVersion}` };
    cluster["scheduler"] = { image: `${KUBE_SCHEDULER_IMAGE}:v${k8sVersion}` };
  }

  const discovery: Obj = { enabled: inp.clusterDiscovery };
  if (f.kubernetesDiscoveryBackendDisabled) {
    discovery["registries"] = { kubernetes: { disabled: true }, service: {} };
  }
  cluster["discovery"] = discovery;

  if (controlPlane) {
    cluster["etcd"] = { ca: { crt: s.certs.etcd.crt, key: s.certs.etcd.key } };
    if (withDocs) {
      cluster["extraManifests"] = [];
      cluster["inlineManifests"] = [];
    }
    if (inp.allowSchedulingOnControlPlanes) {
      cluster[f.allowSchedulingOnControlPlanesField ? "allowSchedulingOnControlPlanes" : "allowSchedulingOnMasters"] =
        true;
    }
  }
  return cluster;
}

/** The API server certificate SANs: the endpoint host first, then `--additional-sans`, without repeats. */
function apiServerSANs(endpoint: URL, additional: readonly string[]): string[] {
  return [...new Set([endpointHost(endpoint), ...additional])];
}
