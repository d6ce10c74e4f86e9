import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { ServiceStateEventSchema } from "@talos/machinery/api";
import { type ServiceSpec, serviceKind } from "@talos/machinery/resources";
import { isNotFound, type Logger, newPointer, newResource, type State } from "@talos/runtime";
import { ServiceState, type ServiceStateChange, type Supervisor } from "../supervisor/index.ts";
import type { EventBus } from "./event-bus.ts";

/**
 * Mirrors the supervisor into the API: every change becomes a `ServiceStateEvent` on the event stream and
 * updates the service's `Services.v1alpha1.talos.dev` resource (running / healthy / health unknown).
 */
export function publishServiceStatus(
  supervisor: Supervisor,
  state: State,
  events: EventBus,
  logger: Logger,
): () => void {
  let chain = Promise.resolve();
  return supervisor.onEvent((change: ServiceStateChange) => {
    events.publish(
      ServiceStateEventSchema,
      create(ServiceStateEventSchema, {
        service: change.service,
        action: change.state,
        message: change.message,
        health: {
          unknown: change.health.unknown,
          healthy: change.health.healthy,
          lastMessage: change.health.lastMessage,
          ...(change.health.lastChange !== null ? { lastChange: timestampFromDate(change.health.lastChange) } : {}),
        },
      }),
    );
    const spec: ServiceSpec = {
      running: change.state === ServiceState.Running,
      healthy: change.health.healthy,
      unknown: change.health.unknown,
    };
    // Serialised so that quick successive changes land in order.
    chain = chain
      .then(() => upsert(state, change.service, spec))
      .catch((e: unknown) => {
        logger.warn("updating service resource failed", { service: change.service, error: String(e) });
      });
  });
}

async function upsert(state: State, id: string, spec: ServiceSpec): Promise<void> {
  const ptr = newPointer(serviceKind.kind, id);
  try {
    await state.modify(ptr, (r) => {
      r.spec = spec;
    });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await state.create(newResource(ptr, spec));
  }
}
