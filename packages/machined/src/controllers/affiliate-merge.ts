import {
  type AffiliateSpec,
  affiliateKind,
  IDENTITY_ID,
  type IdentitySpec,
  identityKind,
} from "@talos/machinery/resources";
import { type Controller, newKind, newPointer, newResource } from "@talos/runtime";

/** Affiliates as each registry reports them (`cluster-raw`, ID `<registry>/<nodeId>`). */
export const rawAffiliateKind = newKind<AffiliateSpec>("cluster-raw", affiliateKind.kind.type);

/** Several registries' views of one node as one affiliate: addresses united, other fields first non-empty. */
export function mergeAffiliates(views: readonly AffiliateSpec[]): AffiliateSpec | undefined {
  const [first, ...rest] = views;
  if (first === undefined) return undefined;
  const merged: AffiliateSpec = { ...first, addresses: [...first.addresses] };
  for (const v of rest) {
    for (const a of v.addresses) if (!merged.addresses.includes(a)) merged.addresses.push(a);
    if (merged.hostname === "") merged.hostname = v.hostname;
    if (merged.nodename === "") merged.nodename = v.nodename;
    if (merged.operatingSystem === "") merged.operatingSystem = v.operatingSystem;
    if (merged.machineType === "unknown") merged.machineType = v.machineType;
    if (merged.controlPlane === undefined && v.controlPlane !== undefined) merged.controlPlane = v.controlPlane;
  }
  return merged;
}

/** cluster.AffiliateMergeController: raw affiliates of other nodes merged by node ID into `cluster`. */
export function affiliateMergeController(): Controller {
  const identity = newPointer(identityKind.kind, IDENTITY_ID);
  return {
    name: "cluster.AffiliateMergeController",
    inputs: [
      { namespace: rawAffiliateKind.namespace, type: rawAffiliateKind.type, kind: "weak" },
      { namespace: identity.namespace, type: identity.type, id: identity.id, kind: "weak" },
    ],
    outputs: [{ type: affiliateKind.kind.type, kind: "shared" }],
    async run(rt) {
      for await (const _ of rt.events()) {
        rt.startTrackingOutputs();
        const local = (await rt.get<IdentitySpec>(identity).catch(() => undefined))?.spec.nodeId;
        const byNode = new Map<string, AffiliateSpec[]>();
        for (const raw of await rt.list<AffiliateSpec>(rawAffiliateKind)) {
          // The local node is LocalAffiliateController's to publish.
          if (raw.spec.nodeId === "" || raw.spec.nodeId === local) continue;
          byNode.set(raw.spec.nodeId, [...(byNode.get(raw.spec.nodeId) ?? []), raw.spec]);
        }
        for (const [nodeId, views] of byNode) {
          const spec = mergeAffiliates(views);
          if (spec === undefined) continue;
          await rt.modify(newResource(newPointer(affiliateKind.kind, nodeId), spec), (r) => {
            r.spec = spec;
          });
        }
        await rt.cleanupOutputs([affiliateKind.kind]);
      }
    },
  };
}
