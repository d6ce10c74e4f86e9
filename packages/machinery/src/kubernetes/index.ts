// Public API of the kubernetes module (`@talos/machinery/kubernetes`): Kubernetes artefacts Talos generates.
export { type AdminKubeconfigOptions, generateAdminKubeconfig } from "./admin-kubeconfig.ts";
