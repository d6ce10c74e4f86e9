import { create, toBinary } from "@bufbuild/protobuf";
import { ServiceSpecSchema } from "../../api/gen/resource/definitions/v1alpha1/v1alpha1_pb.ts";
import { defineKind } from "../kind.ts";

export interface ServiceSpec {
  running: boolean;
  healthy: boolean;
  unknown: boolean;
}

/** `Services.v1alpha1.talos.dev` (`talosctl get services`): one per system service. */
export const serviceKind = defineKind<ServiceSpec>(
  {
    type: "Services.v1alpha1.talos.dev",
    defaultNamespace: "runtime",
    aliases: ["svc"],
    printColumns: [
      { name: "Running", jsonPath: "{.running}" },
      { name: "Healthy", jsonPath: "{.healthy}" },
      { name: "Health Unknown", jsonPath: "{.unknown}" },
    ],
  },
  (spec) => toBinary(ServiceSpecSchema, create(ServiceSpecSchema, spec)),
);
