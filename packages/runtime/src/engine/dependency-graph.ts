import type { Input, Output } from "../controller/controller.ts";

/** One edge of the controller dependency graph (COSI inspect `ControllerDependencyEdge`). */
export type DependencyEdgeKind = "inputWeak" | "inputStrong" | "inputDestroyReady" | "outputExclusive" | "outputShared";

/** `controller` reads (`input*`) or writes (`output*`) `type` (in `namespace`, for inputs; `id`, if one). */
export interface DependencyEdge {
  readonly controller: string;
  readonly kind: DependencyEdgeKind;
  readonly type: string;
  readonly namespace?: string;
  readonly id?: string;
}

/** What the graph is built from: each controller's current inputs and outputs. */
export interface ControllerDeclaration {
  readonly name: string;
  readonly inputs: readonly Input[];
  readonly outputs: readonly Output[];
}

const inputEdge: Record<Input["kind"], DependencyEdgeKind> = {
  weak: "inputWeak",
  strong: "inputStrong",
  destroyReady: "inputDestroyReady",
};

/** All edges, outputs before inputs per controller, controllers in the given order. */
export function dependencyEdges(controllers: readonly ControllerDeclaration[]): DependencyEdge[] {
  return controllers.flatMap((c) => [
    ...c.outputs.map(
      (o): DependencyEdge => ({
        controller: c.name,
        kind: o.kind === "exclusive" ? "outputExclusive" : "outputShared",
        type: o.type,
      }),
    ),
    ...c.inputs.map(
      (i): DependencyEdge => ({
        controller: c.name,
        kind: inputEdge[i.kind],
        type: i.type,
        namespace: i.namespace,
        ...(i.id === undefined ? {} : { id: i.id }),
      }),
    ),
  ]);
}

/** Names of the controllers writing `type`. */
export function writersOf(edges: readonly DependencyEdge[], type: string): string[] {
  return unique(edges.filter((e) => e.type === type && e.kind.startsWith("output")).map((e) => e.controller));
}

/** Names of the controllers reading `type` (in any namespace). */
export function readersOf(edges: readonly DependencyEdge[], type: string): string[] {
  return unique(edges.filter((e) => e.type === type && e.kind.startsWith("input")).map((e) => e.controller));
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
