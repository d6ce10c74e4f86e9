import { type AffiliateSpec, affiliateKind, type MemberSpec, memberKind } from "@talos/machinery/resources";
import { type Controller, newPointer, newResource } from "@talos/runtime";

/** cluster.MemberController: a `Member` (ID = nodename) for every merged affiliate that has a nodename. */
export function memberController(): Controller {
  return {
    name: "cluster.MemberController",
    inputs: [{ namespace: affiliateKind.kind.namespace, type: affiliateKind.kind.type, kind: "weak" }],
    outputs: [{ type: memberKind.kind.type, kind: "exclusive" }],
    async run(rt) {
      for await (const _ of rt.events()) {
        rt.startTrackingOutputs();
        for (const a of await rt.list<AffiliateSpec>(affiliateKind.kind)) {
          if (a.spec.nodename === "") continue;
          const { nodename: _nodename, ...member } = a.spec;
          const spec: MemberSpec = member;
          await rt.modify(newResource(newPointer(memberKind.kind, a.spec.nodename), spec), (r) => {
            r.spec = spec;
          });
        }
        await rt.cleanupOutputs([memberKind.kind]);
      }
    },
  };
}
