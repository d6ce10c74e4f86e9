// A small etcd v3 client for machined: etcd's gRPC API (the generated `etcd` protos of @talos/machinery/api) over
// connect-node with mutual TLS, failing over between endpoints the way etcd's clientv3 does: calls stick to the
// endpoint that last answered; an endpoint that cannot be reached within the dial timeout is skipped; a call that
// fails with Unavailable after reaching etcd is retried elsewhere only when it is safe to repeat (reads).
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { etcd } from "@talos/machinery/api";
import { formatMemberId } from "./member-id.ts";

/** Talos dials etcd with a 5 s timeout. */
export const DEFAULT_ETCD_DIAL_TIMEOUT_MS = 5_000;

export interface EtcdClientOptions {
  /** Client URLs, `https://IP:2379`; calls start at the first. */
  readonly endpoints: readonly string[];
  /** PEM: the etcd CA, the client certificate (clientAuth) and its key (SEC1 `EC PRIVATE KEY` and PKCS#8 work). */
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  /** How long to wait for a connection (TCP + TLS) to one endpoint before trying the next; default 5 s. */
  readonly dialTimeoutMs?: number;
}

/** Per-call options: cancellation and a deadline for the call itself (dialing has its own timeout). */
export interface EtcdCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface EtcdMember {
  readonly id: bigint;
  /** Empty until the member has started. */
  readonly name: string;
  readonly peerUrls: readonly string[];
  /** Empty until the member has started. */
  readonly clientUrls: readonly string[];
  readonly isLearner: boolean;
}

/** What one member says about itself (Maintenance.Status). */
export interface EtcdStatus {
  /** The endpoint that answered. */
  readonly endpoint: string;
  readonly memberId: bigint;
  readonly clusterId: bigint;
  readonly version: string;
  /** Backend file size and the part of it in use, bytes. */
  readonly dbSize: bigint;
  readonly dbSizeInUse: bigint;
  /** The leader as this member sees it (0 when there is none). */
  readonly leader: bigint;
  readonly raftIndex: bigint;
  readonly raftTerm: bigint;
  readonly raftAppliedIndex: bigint;
  readonly isLearner: boolean;
  /** Alarms and health problems, as etcd words them. */
  readonly errors: readonly string[];
  /** Store revision. */
  readonly revision: bigint;
}

export interface EtcdAlarm {
  readonly memberId: bigint;
  /** `etcd.AlarmType.NOSPACE` or `etcd.AlarmType.CORRUPT`. */
  readonly alarm: etcd.AlarmType;
}

export interface EtcdKeyValue {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly createRevision: bigint;
  readonly modRevision: bigint;
  readonly version: bigint;
  readonly lease: bigint;
}

export interface EtcdClient {
  /** The endpoints, in the order given. */
  readonly endpoints: readonly string[];
  memberList(opts?: EtcdCallOptions): Promise<EtcdMember[]>;
  /** Adds a member (not started yet: no name, no client URLs); returns it and every member after the change. */
  memberAdd(
    peerUrls: readonly string[],
    add?: { readonly learner?: boolean },
    opts?: EtcdCallOptions,
  ): Promise<{ member: EtcdMember; members: EtcdMember[] }>;
  /** Removes a member; returns the members left. */
  memberRemove(id: bigint, opts?: EtcdCallOptions): Promise<EtcdMember[]>;
  /** Promotes a learner to a voting member; etcd refuses (FailedPrecondition) until the learner has caught up. */
  memberPromote(id: bigint, opts?: EtcdCallOptions): Promise<EtcdMember[]>;
  /**
   * Replaces a voting member's peer URLs. Refused (FailedPrecondition) for a learner: etcd 3.4 would silently turn
   * it into a "voting" member that raft still treats as a learner.
   */
  memberUpdate(id: bigint, peerUrls: readonly string[], opts?: EtcdCallOptions): Promise<EtcdMember[]>;
  /** Status of the first endpoint's member (no failover: the answer is about that member). */
  status(opts?: EtcdCallOptions): Promise<EtcdStatus>;
  /** Active alarms of the whole cluster. */
  alarmList(opts?: EtcdCallOptions): Promise<EtcdAlarm[]>;
  /** Clears every active alarm (as clientv3's `AlarmDisarm` with an empty member); returns those it cleared. */
  alarmDisarm(opts?: EtcdCallOptions): Promise<EtcdAlarm[]>;
  /** Defragments the first endpoint's member (no failover); that member stalls while it runs. */
  defragment(opts?: EtcdCallOptions): Promise<void>;
  /**
   * Hands leadership to the voting member `targetId` and waits for the change; the request goes to whichever
   * endpoint is the leader (as etcdctl does). etcd refuses a learner or unknown target ("bad leader transferee",
   * FailedPrecondition). Pass a timeout: etcd waits for the transfer without a deadline of its own.
   */
  moveLeader(targetId: bigint, opts?: EtcdCallOptions): Promise<void>;
  /**
   * Streams a member's backend database: the bolt file followed by its 32-byte SHA-256, exactly what
   * `etcdctl snapshot save` writes and `etcdctl snapshot restore` checks. Fails over only before the first chunk.
   */
  snapshot(opts?: EtcdCallOptions): AsyncIterable<Uint8Array>;
  /** Writes a key; returns the new store revision. */
  put(key: string | Uint8Array, value: string | Uint8Array, opts?: EtcdCallOptions): Promise<bigint>;
  /** Reads a key (linearizable); undefined when absent. */
  get(key: string | Uint8Array, opts?: EtcdCallOptions): Promise<EtcdKeyValue | undefined>;
  /** Closes every connection; calls afterwards reconnect. */
  close(): void;
}

interface Endpoint {
  readonly url: string;
  readonly manager: Http2SessionManager;
  readonly kv: Client<typeof etcd.KV>;
  readonly cluster: Client<typeof etcd.Cluster>;
  readonly maintenance: Client<typeof etcd.Maintenance>;
}

/** Creates the client; nothing is dialed until the first call. */
export function createEtcdClient(options: EtcdClientOptions): EtcdClient {
  if (options.endpoints.length === 0) throw new Error("etcd client: no endpoints");
  const dialTimeoutMs = options.dialTimeoutMs ?? DEFAULT_ETCD_DIAL_TIMEOUT_MS;
  const endpoints = options.endpoints.map((url) => openEndpoint(url, options));
  const first = endpoints[0] as Endpoint;
  let pinned = 0;

  const orderFromPinned = (): Endpoint[] =>
    endpoints.map((_, i) => endpoints[(pinned + i) % endpoints.length] as Endpoint);
  const pin = (ep: Endpoint): void => {
    pinned = endpoints.indexOf(ep);
  };

  /** Runs a call on the pinned endpoint, moving on when an endpoint is unreachable (or, for reads, Unavailable). */
  async function call<T>(
    opts: EtcdCallOptions | undefined,
    repeatable: boolean,
    fn: (ep: Endpoint) => Promise<T>,
  ): Promise<T> {
    let last: unknown;
    for (const ep of orderFromPinned()) {
      try {
        await dial(ep, dialTimeoutMs, opts?.signal);
      } catch (e) {
        if (!isUnavailable(e)) throw e;
        last = e;
        continue;
      }
      try {
        const result = await fn(ep);
        pin(ep);
        return result;
      } catch (e) {
        if (!(repeatable && isUnavailable(e))) throw e;
        last = e;
      }
    }
    throw last;
  }

  async function on<T>(ep: Endpoint, opts: EtcdCallOptions | undefined, fn: (ep: Endpoint) => Promise<T>): Promise<T> {
    await dial(ep, dialTimeoutMs, opts?.signal);
    return fn(ep);
  }

  async function statusOf(ep: Endpoint, opts: EtcdCallOptions | undefined): Promise<EtcdStatus> {
    const res = await on(ep, opts, (e) => e.maintenance.status({}, opts));
    return {
      endpoint: ep.url,
      memberId: res.header?.memberId ?? 0n,
      clusterId: res.header?.clusterId ?? 0n,
      version: res.version,
      dbSize: res.dbSize,
      dbSizeInUse: res.dbSizeInUse,
      leader: res.leader,
      raftIndex: res.raftIndex,
      raftTerm: res.raftTerm,
      raftAppliedIndex: res.raftAppliedIndex,
      isLearner: res.isLearner,
      errors: res.errors,
      revision: res.header?.revision ?? 0n,
    };
  }

  async function alarmList(opts?: EtcdCallOptions): Promise<EtcdAlarm[]> {
    const res = await call(opts, true, (ep) =>
      ep.maintenance.alarm(
        { action: etcd.AlarmRequest_AlarmAction.GET, memberID: 0n, alarm: etcd.AlarmType.NONE },
        opts,
      ),
    );
    return res.alarms.map(toAlarm);
  }

  return {
    endpoints: endpoints.map((ep) => ep.url),

    async memberList(opts) {
      const res = await call(opts, true, (ep) => ep.cluster.memberList({}, opts));
      return res.members.map(toMember);
    },

    async memberAdd(peerUrls, add, opts) {
      const res = await call(opts, false, (ep) =>
        ep.cluster.memberAdd({ peerURLs: [...peerUrls], isLearner: add?.learner ?? false }, opts),
      );
      if (res.member === undefined) throw new Error("etcd MemberAdd: the reply has no member");
      return { member: toMember(res.member), members: res.members.map(toMember) };
    },

    async memberRemove(id, opts) {
      const res = await call(opts, false, (ep) => ep.cluster.memberRemove({ ID: id }, opts));
      return res.members.map(toMember);
    },

    async memberPromote(id, opts) {
      const res = await call(opts, false, (ep) => ep.cluster.memberPromote({ ID: id }, opts));
      return res.members.map(toMember);
    },

    async memberUpdate(id, peerUrls, opts) {
      // etcd (3.4, and 3.5 before the fix of etcd-io/etcd#21694) drops the learner flag from the member it updates,
      // while raft still treats it as a learner: the member then can be neither promoted nor made leader.
      const current = (await call(opts, true, (ep) => ep.cluster.memberList({}, opts))).members.find(
        (m) => m.ID === id,
      );
      if (current?.isLearner === true) {
        throw new ConnectError(
          `etcd MemberUpdate: ${formatMemberId(id)} is a learner (etcd would forget it); remove and add it again`,
          Code.FailedPrecondition,
        );
      }
      const res = await call(opts, false, (ep) => ep.cluster.memberUpdate({ ID: id, peerURLs: [...peerUrls] }, opts));
      return res.members.map(toMember);
    },

    status: (opts) => statusOf(first, opts),

    alarmList,

    async alarmDisarm(opts) {
      const active = await alarmList(opts);
      for (const a of active) {
        await call(opts, true, (ep) =>
          ep.maintenance.alarm(
            { action: etcd.AlarmRequest_AlarmAction.DEACTIVATE, memberID: a.memberId, alarm: a.alarm },
            opts,
          ),
        );
      }
      return active;
    },

    async defragment(opts) {
      await on(first, opts, (ep) => ep.maintenance.defragment({}, opts));
    },

    async moveLeader(targetId, opts) {
      // Only the leader accepts MoveLeader ("etcdserver: not leader" elsewhere): find it among the endpoints.
      let leader: Endpoint | undefined;
      for (const ep of orderFromPinned()) {
        try {
          const st = await statusOf(ep, opts);
          if (st.leader !== 0n && st.leader === st.memberId) {
            leader = ep;
            break;
          }
        } catch (e) {
          if (!isUnavailable(e)) throw e;
        }
      }
      if (leader === undefined) {
        // None of the endpoints leads; let etcd say so from the first reachable one.
        await call(opts, false, (ep) => ep.maintenance.moveLeader({ targetID: targetId }, opts));
        return;
      }
      await on(leader, opts, (ep) => ep.maintenance.moveLeader({ targetID: targetId }, opts));
    },

    snapshot(opts) {
      return snapshotStream(orderFromPinned(), dialTimeoutMs, opts, pin);
    },

    async put(key, value, opts) {
      const res = await call(opts, false, (ep) => ep.kv.put({ key: bytes(key), value: bytes(value) }, opts));
      return res.header?.revision ?? 0n;
    },

    async get(key, opts) {
      const res = await call(opts, true, (ep) => ep.kv.range({ key: bytes(key) }, opts));
      const kv = res.kvs[0];
      if (kv === undefined) return undefined;
      return {
        key: kv.key,
        value: kv.value,
        createRevision: kv.createRevision,
        modRevision: kv.modRevision,
        version: kv.version,
        lease: kv.lease,
      };
    },

    close() {
      for (const ep of endpoints) ep.manager.abort();
    },
  };
}

function openEndpoint(url: string, options: EtcdClientOptions): Endpoint {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:") throw new Error(`etcd client: endpoint ${url} is not https://`);
  const manager = new Http2SessionManager(
    parsed.origin,
    // clientv3's keepalive as Talos configures it; well above etcd's 5 s minimum ping interval.
    { pingIntervalMs: 30_000, pingTimeoutMs: 10_000 },
    {
      ca: options.ca,
      cert: options.cert,
      // Node's TLS reads Ed25519 PKCS#8 keys only under the standard label.
      key: options.key.replaceAll("ED25519 PRIVATE KEY", "PRIVATE KEY"),
    },
  );
  const transport = createGrpcTransport({ baseUrl: parsed.origin, sessionManager: manager });
  return {
    url,
    manager,
    kv: createClient(etcd.KV, transport),
    cluster: createClient(etcd.Cluster, transport),
    maintenance: createClient(etcd.Maintenance, transport),
  };
}

/**
 * Makes sure the endpoint has a connection (TCP + TLS + HTTP/2 settings), within the dial timeout.
 *
 * @throws {ConnectError} Unavailable when it cannot be had; Canceled when `signal` fires.
 */
async function dial(ep: Endpoint, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const interrupted = new Promise<"timeout" | "aborted">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
    onAbort = () => resolve("aborted");
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const state = await Promise.race([ep.manager.connect(), interrupted]);
    if (state === "timeout" || state === "aborted") {
      const err =
        state === "timeout"
          ? new ConnectError(`${ep.url}: no connection within ${timeoutMs} ms`, Code.Unavailable)
          : new ConnectError(`${ep.url}: dial canceled`, Code.Canceled);
      ep.manager.abort(err);
      throw err;
    }
    if (state === "error") {
      const cause = ep.manager.error();
      const reason = cause instanceof ConnectError ? cause.rawMessage : String(cause);
      throw new ConnectError(`${ep.url}: ${reason}`, Code.Unavailable, undefined, undefined, cause);
    }
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  }
}

async function* snapshotStream(
  order: readonly Endpoint[],
  dialTimeoutMs: number,
  opts: EtcdCallOptions | undefined,
  pin: (ep: Endpoint) => void,
): AsyncGenerator<Uint8Array> {
  let last: unknown;
  for (const ep of order) {
    let it: AsyncIterator<etcd.SnapshotResponse>;
    let first: IteratorResult<etcd.SnapshotResponse>;
    try {
      await dial(ep, dialTimeoutMs, opts?.signal);
      it = ep.maintenance.snapshot({}, opts)[Symbol.asyncIterator]();
      first = await it.next();
    } catch (e) {
      if (!isUnavailable(e)) throw e;
      last = e;
      continue;
    }
    pin(ep);
    try {
      for (let n = first; !n.done; n = await it.next()) {
        if (n.value.blob.length > 0) yield n.value.blob;
      }
    } finally {
      // Stops the server stream when the consumer leaves early.
      await it.return?.();
    }
    return;
  }
  throw last;
}

function isUnavailable(e: unknown): boolean {
  return e instanceof ConnectError && e.code === Code.Unavailable;
}

function bytes(v: string | Uint8Array): Uint8Array {
  return typeof v === "string" ? new TextEncoder().encode(v) : v;
}

function toMember(m: etcd.Member): EtcdMember {
  return { id: m.ID, name: m.name, peerUrls: m.peerURLs, clientUrls: m.clientURLs, isLearner: m.isLearner };
}

function toAlarm(a: etcd.AlarmMember): EtcdAlarm {
  return { memberId: a.memberID, alarm: a.alarm };
}
