/** Talos's limit on a single gRPC message (`constants.GRPCMaxMessageSize`). */
export const MAX_MESSAGE_SIZE = 32 * 1024 * 1024;

/** Wraps one message in the gRPC length-prefixed frame (uncompressed). */
export function encodeFrame(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + message.length);
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, 5);
  return out;
}

/** A frame that cannot be handled: compressed (we never negotiate compression) or over the size limit. */
export class FrameError extends Error {
  override readonly name = "FrameError";
}

/**
 * Splits a byte stream into gRPC messages. Feed it HTTP/2 DATA chunks as they arrive; each call returns the
 * messages completed by that chunk.
 */
export class FrameDecoder {
  private buffer: Uint8Array = new Uint8Array(0);
  private readonly maxSize: number;

  constructor(maxSize = MAX_MESSAGE_SIZE) {
    this.maxSize = maxSize;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    this.buffer = this.buffer.length === 0 ? chunk : concat([this.buffer, chunk]);
    const messages: Uint8Array[] = [];
    for (;;) {
      if (this.buffer.length < 5) break;
      const view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length);
      if (view.getUint8(0) !== 0) throw new FrameError("compressed gRPC messages are not supported");
      const length = view.getUint32(1);
      if (length > this.maxSize) {
        throw new FrameError(`grpc: received message larger than max (${length} vs. ${this.maxSize})`);
      }
      if (this.buffer.length < 5 + length) break;
      messages.push(this.buffer.subarray(5, 5 + length));
      this.buffer = this.buffer.subarray(5 + length);
    }
    return messages;
  }

  /** Bytes of an incomplete frame left over (non-zero at end of stream means a truncated message). */
  get pending(): number {
    return this.buffer.length;
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
