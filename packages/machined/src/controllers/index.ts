import type { Controller } from "@talos/runtime";
import { affiliateMergeController } from "./affiliate-merge.ts";
import { apiCertSANsController } from "./api-cert-sans.ts";
import { discoveryConfigController } from "./discovery-config.ts";
import { type DiscoveryHandle, discoveryServiceController } from "./discovery-service.ts";
import { hostnameStatusController } from "./hostname-status.ts";
import { localAffiliateController } from "./local-affiliate.ts";
import { memberController } from "./member.ts";
import { nodeIdentityController } from "./node-identity.ts";
import { nodenameController } from "./nodename.ts";

export interface ControllerDeps {
  readonly defaultHostname: string;
  /** STATE, where the node identity is kept. */
  readonly stateDir: string;
  /** Affiliate TTL in the discovery service (Talos: 30 min; shorter in tests). */
  readonly discoveryTtlMs?: number;
  readonly discovery?: DiscoveryHandle;
}

/** The one registration list of machined's controllers. */
export function allControllers(deps: ControllerDeps): Controller[] {
  return [
    hostnameStatusController(deps.defaultHostname),
    nodenameController(),
    apiCertSANsController(),
    discoveryConfigController(),
    nodeIdentityController(deps.stateDir),
    localAffiliateController(),
    discoveryServiceController({
      ...(deps.discoveryTtlMs !== undefined ? { ttlMs: deps.discoveryTtlMs } : {}),
      ...(deps.discovery !== undefined ? { handle: deps.discovery } : {}),
    }),
    affiliateMergeController(),
    memberController(),
  ];
}
