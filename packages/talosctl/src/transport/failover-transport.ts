import type { DescMessage, DescMethodStreaming, DescMethodUnary, MessageInitShape } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ContextValues,
  type StreamResponse,
  type Transport,
  type UnaryResponse,
} from "@connectrpc/connect";

/** One endpoint's transport, named for error messages. */
export interface EndpointTransport {
  readonly endpoint: string;
  readonly transport: Transport;
  /**
   * Whether the endpoint can be reached at all (a quick TCP connect). A host that is down drops packets
   * rather than refusing them, and a call to it would hang until the kernel gives up (minutes); the probe
   * lets failover move on after a few seconds. Probed once per endpoint and process.
   */
  readonly probe?: () => Promise<boolean>;
}

/**
 * Spreads calls over several endpoints and fails over when one cannot be reached, as talosctl's
 * round-robin resolver does: each call starts at the next endpoint; on `Unavailable` (refused, reset,
 * TLS failure) it tries the others in turn, and reports the last error if none answers.
 */
export function createFailoverTransport(endpoints: readonly EndpointTransport[]): Transport {
  if (endpoints.length === 0) throw new Error("no endpoints");
  let next = 0;
  const order = () => {
    const start = next;
    next = (next + 1) % endpoints.length;
    return endpoints.map((_, i) => endpoints[(start + i) % endpoints.length] as EndpointTransport);
  };
  const reachable = new Map<string, Promise<boolean>>();
  const isReachable = (ep: EndpointTransport) => {
    if (ep.probe === undefined) return Promise.resolve(true);
    let p = reachable.get(ep.endpoint);
    if (p === undefined) {
      p = ep.probe();
      reachable.set(ep.endpoint, p);
    }
    return p;
  };
  async function attempt<T>(call: (t: Transport) => Promise<T>): Promise<T> {
    let last: unknown;
    const candidates = order();
    for (const [i, ep] of candidates.entries()) {
      // The last candidate is always tried, so that its real error is what the user sees.
      if (i < candidates.length - 1 && !(await isReachable(ep))) {
        last = new ConnectError(`connection error: ${ep.endpoint} is unreachable`, Code.Unavailable);
        continue;
      }
      try {
        return await call(ep.transport);
      } catch (e) {
        if (!isUnreachable(e)) throw e;
        last = e;
      }
    }
    throw last;
  }
  return {
    unary<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      signal: AbortSignal | undefined,
      timeoutMs: number | undefined,
      header: ConstructorParameters<typeof Headers>[0] | undefined,
      input: MessageInitShape<I>,
      contextValues?: ContextValues,
    ): Promise<UnaryResponse<I, O>> {
      return attempt((t) => t.unary(method, signal, timeoutMs, header, input, contextValues));
    },
    async stream<I extends DescMessage, O extends DescMessage>(
      method: DescMethodStreaming<I, O>,
      signal: AbortSignal | undefined,
      timeoutMs: number | undefined,
      header: ConstructorParameters<typeof Headers>[0] | undefined,
      input: AsyncIterable<MessageInitShape<I>>,
      contextValues?: ContextValues,
    ): Promise<StreamResponse<I, O>> {
      // Requests are replayed on failover, so they are read once up front (Talos streams are server-side).
      const messages: MessageInitShape<I>[] = [];
      for await (const m of input) messages.push(m);
      return attempt(async (t) => {
        const res = await t.stream(method, signal, timeoutMs, header, replay(messages), contextValues);
        return withFirstMessage(res);
      });
    },
  };
}

async function* replay<T>(messages: readonly T[]): AsyncIterable<T> {
  yield* messages;
}

/**
 * Waits for the stream's first message (or its end) so that an unreachable endpoint fails inside the
 * failover loop instead of later, in the caller's loop.
 */
async function withFirstMessage<I extends DescMessage, O extends DescMessage>(
  res: StreamResponse<I, O>,
): Promise<StreamResponse<I, O>> {
  const it = res.message[Symbol.asyncIterator]();
  const first = await it.next();
  async function* rest() {
    if (first.done) return;
    yield first.value;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  }
  return { ...res, message: rest() };
}

function isUnreachable(e: unknown): boolean {
  return e instanceof ConnectError && e.code === Code.Unavailable;
}
