import type { Controller, Input, OutputKind, Reader } from "../controller/controller.ts";
import type { Logger } from "../controller/logger.ts";
import { type Kind, newPointer } from "../resource/pointer.ts";
import { newResource, type Resource } from "../resource/resource.ts";

/** What `transform` may use besides its input: reads of declared inputs, the run's signal, the log. */
export interface TransformContext {
  readonly reader: Reader;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** Declaration of a 1:1 transform controller. */
export interface TransformOptions<In, Out> {
  /** Controller name, e.g. `"etcd.ConfigController"`. */
  readonly name: string;
  /** Every resource of this kind maps to at most one output. */
  readonly input: Kind<In>;
  /** Outputs are created in this kind's namespace. */
  readonly output: Kind<Out>;
  /** The spec of an output that does not exist yet, before `transform` fills it in. */
  readonly newSpec: () => Out;
  /** The output ID for an input, or `undefined` to produce nothing for it. */
  readonly map: (input: Resource<In>) => string | undefined;
  /** Fills the output from the input (mutating `output`); a change-free transform writes nothing. */
  readonly transform: (input: Resource<In>, output: Resource<Out>, ctx: TransformContext) => void | Promise<void>;
  /** More inputs that should re-run the transform (and that `ctx.reader` may read). */
  readonly extraInputs?: readonly Input[];
  /** Default `exclusive`. */
  readonly outputKind?: OutputKind;
}

/**
 * A generic 1:1 mapping controller (Talos `transform.Controller`): on every wake-up it maps each running
 * input to an output via `map` + `transform`, then destroys the outputs whose input disappeared (or
 * started tearing down, or now maps to nothing).
 *
 * @example
 * export const configController = transformController({
 *   name: "etcd.ConfigController",
 *   input: MACHINE_CONFIG, output: ETCD_CONFIG, newSpec: () => ({ image: "" }),
 *   map: (cfg) => (cfg.spec.machineType === "worker" ? undefined : "etcd"),
 *   transform: (cfg, out) => { out.spec.image = cfg.spec.etcdImage; },
 * });
 */
export function transformController<In, Out>(options: TransformOptions<In, Out>): Controller {
  const { input, output } = options;
  return {
    name: options.name,
    inputs: [
      { namespace: input.namespace, type: input.type, kind: "weak" },
      ...(options.extraInputs ?? []),
      // Outputs torn down while others held finalizers are destroyed once released.
      { namespace: output.namespace, type: output.type, kind: "destroyReady" },
    ],
    outputs: [{ type: output.type, kind: options.outputKind ?? "exclusive" }],

    async run(rt, signal, log) {
      const ctx: TransformContext = { reader: rt, signal, log };
      for await (const _ of rt.events()) {
        rt.startTrackingOutputs();
        for (const item of await rt.list(input)) {
          if (item.metadata.phase === "tearingDown") continue;
          const id = options.map(item);
          if (id === undefined) continue;
          const template = newResource(newPointer(output, id), options.newSpec());
          await rt.modify(template, (out) => options.transform(item, out, ctx));
        }
        await rt.cleanupOutputs([output]);
      }
    },
  };
}
