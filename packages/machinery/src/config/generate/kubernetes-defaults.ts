/**
 * Kubernetes settings Talos puts into every generated control plane config. Free-form maps are written
 * with sorted keys, as Go renders `map[string]any`.
 */

/** Pod Security admission: baseline enforced, restricted audited and warned, kube-system exempt. */
export function defaultPodSecurityConfiguration(): Record<string, unknown> {
  return {
    apiVersion: "pod-security.admission.config.k8s.io/v1alpha1",
    defaults: {
      audit: "restricted",
      "audit-version": "latest",
      enforce: "baseline",
      "enforce-version": "latest",
      warn: "restricted",
      "warn-version": "latest",
    },
    exemptions: {
      namespaces: ["kube-system"],
      runtimeClasses: [],
      usernames: [],
    },
    kind: "PodSecurityConfiguration",
  };
}

/** The API server audit policy: log request metadata for everything. */
export function defaultAuditPolicy(): Record<string, unknown> {
  return {
    apiVersion: "audit.k8s.io/v1",
    kind: "Policy",
    rules: [{ level: "Metadata" }],
  };
}
