// etcd member IDs: uint64 on the wire (bigint here), printed as etcd and Talos print them (`%016x`).

const MAX_MEMBER_ID = (1n << 64n) - 1n;

/** Formats a member ID as 16 zero-padded lowercase hex digits (e.g. `0000000000000001`, `8e9e05c52164694d`). */
export function formatMemberId(id: bigint): string {
  if (id < 0n || id > MAX_MEMBER_ID) throw new RangeError(`etcd member ID out of range: ${id}`);
  return id.toString(16).padStart(16, "0");
}

/**
 * Parses a member ID written in hex (1 to 16 digits, any case, as `etcdctl member list` and
 * `talosctl etcd members` print it).
 *
 * @throws {Error} for anything else.
 */
export function parseMemberId(hex: string): bigint {
  if (!/^[0-9a-fA-F]{1,16}$/.test(hex))
    throw new Error(`invalid etcd member ID ${JSON.stringify(hex)}: want 1-16 hex digits`);
  return BigInt(`0x${hex}`);
}
