// A libpcap capture file read as it streams in: the 24-byte file header, then records of a 16-byte header and
// the captured bytes. Either byte order, microsecond or nanosecond timestamps.

export interface PcapFileHeader {
  readonly linkType: number;
  readonly snapLen: number;
}

export interface PcapRecord {
  readonly seconds: number;
  readonly nanos: number;
  /** The packet's length on the wire; `data` holds the first captured bytes of it. */
  readonly wireLength: number;
  readonly data: Uint8Array;
}

const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;

/** Collects chunks until `need` bytes are buffered; false when the input ended first. */
class ChunkBuffer {
  private buf = new Uint8Array(0);
  private readonly it: AsyncIterator<Uint8Array>;
  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.it = chunks[Symbol.asyncIterator]();
  }
  async fill(need: number): Promise<boolean> {
    while (this.buf.length < need) {
      const next = await this.it.next();
      if (next.done === true) return false;
      const merged = new Uint8Array(this.buf.length + next.value.length);
      merged.set(this.buf);
      merged.set(next.value, this.buf.length);
      this.buf = merged;
    }
    return true;
  }
  take(n: number): Uint8Array {
    const out = this.buf.slice(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

/**
 * The records of a capture stream. `onHeader` sees the file header first; an empty stream yields nothing, a
 * record cut short by the end of the stream is dropped (a capture stopped mid-write).
 *
 * @throws {Error} when the stream is not a pcap file (unknown magic).
 */
export async function* readPcap(
  chunks: AsyncIterable<Uint8Array>,
  onHeader?: (h: PcapFileHeader) => void,
): AsyncGenerator<PcapRecord> {
  const input = new ChunkBuffer(chunks);
  if (!(await input.fill(24))) return;
  const head = new DataView(input.take(24).buffer);
  let le: boolean;
  const magicLE = head.getUint32(0, true);
  const magicBE = head.getUint32(0, false);
  if (magicLE === MAGIC_MICRO || magicLE === MAGIC_NANO) le = true;
  else if (magicBE === MAGIC_MICRO || magicBE === MAGIC_NANO) le = false;
  else throw new Error(`unknown pcap magic ${magicBE.toString(16).padStart(8, "0")}`);
  const nanoUnits = head.getUint32(0, le) === MAGIC_NANO;
  onHeader?.({ snapLen: head.getUint32(16, le), linkType: head.getUint32(20, le) & 0x0fffffff });
  for (;;) {
    if (!(await input.fill(16))) return;
    const rec = new DataView(input.take(16).buffer);
    const capLen = rec.getUint32(8, le);
    if (capLen > 0x10000000) throw new Error(`pcap record of ${capLen} bytes: the stream is corrupt`);
    if (!(await input.fill(capLen))) return;
    const frac = rec.getUint32(4, le);
    yield {
      seconds: rec.getUint32(0, le),
      nanos: nanoUnits ? frac : frac * 1000,
      wireLength: rec.getUint32(12, le),
      data: input.take(capLen),
    };
  }
}
