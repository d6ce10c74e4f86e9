// The COSI State service (`cosi.resource.State`) over the node's resource state, behind Talos's access
// filter: read-only, only registered types and namespaces, sensitive types for os:admin only.
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { cosi } from "@talos/machinery/api";
import { ROLE_ADMIN } from "@talos/machinery/constants";
import {
  definitionId,
  namespaceKind,
  type ResourceDefinitionSpec,
  type ResourceKind,
  resourceDefinitionKind,
} from "@talos/machinery/resources";
import {
  type IdQuery,
  isNotFound,
  type LabelOp,
  type LabelQuery,
  newKind,
  newPointer,
  type State,
  type WatchEvent,
} from "@talos/runtime";
import { callerRolesKey } from "./authz.ts";
import { encodeResource } from "./resource-codec.ts";

const WRITE_DENIED = "write access is not allowed";

const LABEL_OPS: Record<number, LabelOp> = {
  [cosi.LabelTerm_Operation.EXISTS]: "exists",
  [cosi.LabelTerm_Operation.EQUAL]: "equal",
  [cosi.LabelTerm_Operation.NOT_EXISTS]: "notExists",
  [cosi.LabelTerm_Operation.IN]: "in",
  [cosi.LabelTerm_Operation.LT]: "lt",
  [cosi.LabelTerm_Operation.LTE]: "lte",
  [cosi.LabelTerm_Operation.LT_NUMERIC]: "ltNumeric",
  [cosi.LabelTerm_Operation.LTE_NUMERIC]: "lteNumeric",
};

function labelQueries(qs: readonly cosi.LabelQuery[]): LabelQuery[] {
  return qs.map((q) => ({
    terms: q.terms.map((t) => ({ key: t.key, op: LABEL_OPS[t.op] ?? "exists", value: [...t.value], invert: t.invert })),
  }));
}

function idQuery(q: cosi.IDQuery | undefined): IdQuery | undefined {
  return q === undefined || q.regexp === "" ? undefined : { regexp: q.regexp };
}

const EVENT_TYPES = {
  created: cosi.EventType.CREATED,
  updated: cosi.EventType.UPDATED,
  destroyed: cosi.EventType.DESTROYED,
  bootstrapped: cosi.EventType.BOOTSTRAPPED,
  errored: cosi.EventType.ERRORED,
} as const;

export function createStateService(state: State, kinds: ReadonlyMap<string, ResourceKind<unknown>>) {
  /** Talos's access filter for reads; returns the kind used to encode specs. */
  async function checkAccess(namespace: string, type: string, ctx: HandlerContext) {
    let rd: ResourceDefinitionSpec;
    try {
      rd = (await state.get(newPointer(resourceDefinitionKind.kind, definitionId(type)))).spec;
    } catch (e) {
      if (isNotFound(e))
        throw new ConnectError(`resource type ${JSON.stringify(type)} is not supported`, Code.PermissionDenied);
      throw e;
    }
    if (rd.sensitivity === "sensitive" && !ctx.values.get(callerRolesKey).includes(ROLE_ADMIN)) {
      throw new ConnectError("not authorized", Code.PermissionDenied);
    }
    try {
      await state.get(newPointer(namespaceKind.kind, namespace));
    } catch (e) {
      if (isNotFound(e)) {
        throw new ConnectError(`namespace ${JSON.stringify(namespace)} is not supported`, Code.PermissionDenied);
      }
      throw e;
    }
    return kinds.get(type);
  }

  const impl: ServiceImpl<typeof cosi.State> = {
    async get(req, ctx) {
      const kind = await checkAccess(req.namespace, req.type, ctx);
      try {
        const res = await state.get(newPointer(newKind(req.namespace, req.type), req.id), ctx.signal);
        return create(cosi.GetResponseSchema, { resource: encodeResource(res, kind) });
      } catch (e) {
        if (isNotFound(e)) {
          throw new ConnectError(
            `resource ${req.type}(${req.namespace}/${req.id}@undefined) doesn't exist`,
            Code.NotFound,
          );
        }
        throw e;
      }
    },
    async *list(req, ctx) {
      const kind = await checkAccess(req.namespace, req.type, ctx);
      const items = await state.list(
        newKind(req.namespace, req.type),
        { labelQuery: labelQueries(req.options?.labelQuery ?? []), idQuery: idQuery(req.options?.idQuery) },
        ctx.signal,
      );
      for (const res of items) yield create(cosi.ListResponseSchema, { resource: encodeResource(res, kind) });
    },
    async create() {
      throw new ConnectError(WRITE_DENIED, Code.PermissionDenied);
    },
    async update() {
      throw new ConnectError(WRITE_DENIED, Code.PermissionDenied);
    },
    async destroy() {
      throw new ConnectError(WRITE_DENIED, Code.PermissionDenied);
    },
    async *watch(req, ctx) {
      const kind = await checkAccess(req.namespace, req.type, ctx);
      const opts = req.options;
      const k = newKind(req.namespace, req.type);
      let events: AsyncIterable<WatchEvent>;
      if (req.id !== undefined) {
        if (opts?.bootstrapContents === true || (opts?.labelQuery.length ?? 0) > 0) {
          throw new ConnectError(
            "bootstrap contents and label queries are not supported for a single resource watch",
            Code.Unimplemented,
          );
        }
        events = state.watch(newPointer(k, req.id), ctx.signal);
      } else {
        events = state.watchKind(
          k,
          {
            bootstrapContents: opts?.bootstrapContents ?? false,
            labelQuery: labelQueries(opts?.labelQuery ?? []),
            idQuery: idQuery(opts?.idQuery),
          },
          ctx.signal,
        );
      }
      // The empty first message tells the client the watch is registered.
      yield create(cosi.WatchResponseSchema, {});
      for await (const ev of events) {
        if ((ev.type === "bootstrapped" || ev.type === "errored") && req.apiVersion < 1) continue;
        const event = create(cosi.EventSchema, { eventType: EVENT_TYPES[ev.type] });
        if (ev.type === "errored") event.error = ev.error.message;
        if (ev.type !== "bootstrapped" && ev.type !== "errored") event.resource = encodeResource(ev.resource, kind);
        if (ev.type === "updated") event.old = encodeResource(ev.old, kind);
        yield create(cosi.WatchResponseSchema, { event: [event] });
        if (ev.type === "errored") return;
      }
    },
  };
  return impl;
}
