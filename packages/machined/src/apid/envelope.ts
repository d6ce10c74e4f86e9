// Byte-level rewriting of Talos API replies for one-to-many proxying, as apid does it: every reply element
// and stream item has `common.Metadata metadata = 1`; apid appends a second occurrence of field 1 carrying
// the target's hostname (and error), which protobuf merges into the first. No message types are needed,
// so any method, including ones this build does not implement, can be fanned out.
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { concat } from "./grpc-frame.ts";

/** What apid knows about one target's reply. */
export interface TargetMetadata {
  readonly hostname: string;
  readonly error?: string;
  /** The gRPC status of a failed call (`google.rpc.Status`). */
  readonly status?: { readonly code: number; readonly message: string };
}

/** `common.Metadata` bytes. */
export function encodeMetadata(md: TargetMetadata): Uint8Array {
  const w = new BinaryWriter();
  if (md.hostname !== "") w.tag(1, WireType.LengthDelimited).string(md.hostname);
  if (md.error !== undefined && md.error !== "") w.tag(2, WireType.LengthDelimited).string(md.error);
  if (md.status !== undefined) {
    w.tag(3, WireType.LengthDelimited).fork();
    if (md.status.code !== 0) w.tag(1, WireType.Varint).int32(md.status.code);
    if (md.status.message !== "") w.tag(2, WireType.LengthDelimited).string(md.status.message);
    w.join();
  }
  return w.finish();
}

/** `common.Empty{metadata}`: also a valid reply element or stream item that carries only metadata. */
export function encodeMetadataOnly(md: TargetMetadata): Uint8Array {
  return new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(encodeMetadata(md)).finish();
}

/** A stream item with the target's metadata merged in. */
export function tagStreamItem(item: Uint8Array, md: TargetMetadata): Uint8Array {
  return concat([item, encodeMetadataOnly(md)]);
}

/**
 * A unary reply (`XResponse { repeated X messages = 1 }`) with the target's metadata merged into its
 * element. machined fills exactly one element; a reply with none gets an element holding only metadata.
 *
 * @throws {Error} when the reply does not start with field 1 (not a Talos envelope).
 */
export function tagUnaryReply(reply: Uint8Array, md: TargetMetadata): Uint8Array {
  const suffix = encodeMetadataOnly(md);
  if (reply.length === 0) return wrapElement(suffix);
  const r = new BinaryReader(reply);
  const [field, wireType] = r.tag();
  if (field !== 1 || wireType !== WireType.LengthDelimited) {
    throw new Error(`reply is not a Talos response envelope (first field ${field}, wire type ${wireType})`);
  }
  const element = r.bytes();
  const rest = reply.subarray(r.pos);
  return concat([wrapElement(concat([element, suffix])), rest]);
}

/** A reply element made of only the target's metadata: how a failed target appears in a unary reply. */
export function errorReply(md: TargetMetadata): Uint8Array {
  return wrapElement(encodeMetadataOnly(md));
}

function wrapElement(element: Uint8Array): Uint8Array {
  return new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(element).finish();
}
