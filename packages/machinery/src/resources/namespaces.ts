/** The namespaces a Talos 1.6 node registers, with their descriptions (served as `Namespaces.meta.cosi.dev`). */
export const TALOS_NAMESPACES: readonly { readonly name: string; readonly description: string }[] = [
  { name: "meta", description: "Metadata namespace which contains resource and namespace definitions." },
  { name: "runtime", description: "Talos runtime." },
  { name: "cluster", description: "Cluster configuration and discovery resources." },
  { name: "cluster-raw", description: "Cluster unmerged raw resources." },
  { name: "config", description: "Talos node configuration." },
  { name: "etcd", description: "etcd resources." },
  { name: "files", description: "Files and file-like resources." },
  { name: "hardware", description: "Hardware resources." },
  { name: "k8s", description: "Kubernetes all node types resources." },
  { name: "controlplane", description: "Kubernetes control plane resources." },
  { name: "kubespan", description: "KubeSpan resources." },
  { name: "network", description: "Networking resources." },
  { name: "network-config", description: "Networking configuration resources." },
  { name: "cri", description: "CRI Seccomp resources." },
  { name: "secrets", description: "Resources with secret material." },
  { name: "perf", description: "Stats resources." },
];
