import { type Infer, obj, str } from "../schema/dsl.ts";

/** `NetworkDefaultActionConfig`: what the host firewall does with ingress traffic no rule matches. */
export const networkDefaultActionConfigSchema = obj({
  apiVersion: str({ doc: "Document API version (v1alpha1)." }),
  kind: str({ doc: "Document kind." }),
  ingress: str({ enum: ["accept", "block"], doc: "Default ingress action: accept or block." }),
});

export type NetworkDefaultActionConfig = Infer<typeof networkDefaultActionConfigSchema>;
