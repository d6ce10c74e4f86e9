/**
 * @talos/runtime: a COSI-style resource and controller runtime in miniature, with no Talos knowledge
 * and no I/O. Layers, bottom up: resource → state (+ inmem) → controller → engine → transform, plus
 * the conformance suite every `State` implementation must pass.
 *
 * @example
 * const state = createInMemoryState();
 * const engine = createEngine({ state, logger });
 * engine.register(transformController({ name: "x.Controller", input, output, newSpec, map, transform }));
 * await engine.run(signal);
 */

export type { StateCase } from "./conformance/state-cases-crud.ts";
export {
  runStateConformance,
  type StateFactory,
  stateConformanceCases,
  type TestRegistrar,
} from "./conformance/state-conformance.ts";
export {
  type Controller,
  ControllerAccessError,
  type ControllerRuntime,
  type Input,
  type InputKind,
  isControllerAccessError,
  type Output,
  type OutputKind,
  type Reader,
  type WriteOptions,
  type Writer,
} from "./controller/controller.ts";
export { type LogFields, type Logger, noopLogger, withFields } from "./controller/logger.ts";
export { type Backoff, type BackoffOptions, createBackoff, DEFAULT_BACKOFF } from "./engine/backoff.ts";
export {
  type ControllerDeclaration,
  type DependencyEdge,
  type DependencyEdgeKind,
  dependencyEdges,
  readersOf,
  writersOf,
} from "./engine/dependency-graph.ts";
export { type ControllerStatus, createEngine, type Engine, type EngineOptions } from "./engine/engine.ts";
export { deepEqual } from "./resource/equal.ts";
export {
  type IdQuery,
  type LabelOp,
  type LabelQueries,
  type LabelQuery,
  type LabelTerm,
  matchesIdQuery,
  matchesLabelQuery,
  matchesLabelTerm,
} from "./resource/label-query.ts";
export {
  formatVersion,
  type Metadata,
  type MetadataInit,
  newMetadata,
  type Phase,
  parseVersion,
  VERSION_UNDEFINED,
} from "./resource/metadata.ts";
export { formatKind, formatPointer, type Kind, newKind, newPointer, type Pointer } from "./resource/pointer.ts";
export { copyResource, newResource, type Resource, resourceEqual } from "./resource/resource.ts";
export { isTombstone, newTombstone, type Tombstone } from "./resource/tombstone.ts";
export {
  ConflictError,
  type ConflictReason,
  isConflict,
  isNotFound,
  isOwnerConflict,
  isPhaseConflict,
  isVersionConflict,
  NotFoundError,
  OwnerConflictError,
  PhaseConflictError,
} from "./state/errors.ts";
export {
  createInMemoryState,
  DEFAULT_HISTORY_CAPACITY,
  type InMemoryStateOptions,
} from "./state/inmem/inmem-state.ts";
export type {
  CoreState,
  CreateOptions,
  DestroyOptions,
  EventType,
  ListOptions,
  State,
  UpdateOptions,
  Updater,
  WatchEvent,
  WatchForCondition,
  WatchKindOptions,
} from "./state/state.ts";
export { wrapCore } from "./state/wrap-core.ts";
export { type TransformContext, type TransformOptions, transformController } from "./transform/transform.ts";
