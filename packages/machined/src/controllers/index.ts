import type { Controller } from "@talos/runtime";
import { hostnameStatusController } from "./hostname-status.ts";
import { localMemberController } from "./member.ts";
import { nodenameController } from "./nodename.ts";

export interface ControllerDeps {
  readonly defaultHostname: string;
}

/** The one registration list of machined's controllers. */
export function allControllers(deps: ControllerDeps): Controller[] {
  return [hostnameStatusController(deps.defaultHostname), localMemberController(), nodenameController()];
}
