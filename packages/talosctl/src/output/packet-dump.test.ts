import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeLayers, LINKTYPE_ETHERNET, LINKTYPE_RAW, packetDump } from "./packet-dump.ts";
import { readPcap } from "./pcap-reader.ts";

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));

// Ethernet + IPv4 (DF, TTL 64) + TCP SYN 127.0.50.2:40000 → 127.0.50.2:50001 with MSS 65495, NOP, WS 7.
const SYN = hex(`
  000000000000 000000000000 0800
  45000034 1234 4000 4006 0000 7f003202 7f003202
  9c40c351 00000001 00000000 8002 ffd7 0000 0000
  020405b4 01 030307 00 000000`);
// IPv6 + UDP ::1:5353 → ::1:53 carrying 3 bytes.
const UDP6 = hex(`
  60000000 000b 11 40 00000000000000000000000000000001 00000000000000000000000000000001
  14e9 0035 000b 0000 616263`);

function pcapFile(linkType: number, packets: Uint8Array[], opts: { be?: boolean; nano?: boolean } = {}): Uint8Array {
  const le = opts.be !== true;
  const head = Buffer.alloc(24);
  const u32 = (b: Buffer, v: number, off: number) => (le ? b.writeUInt32LE(v, off) : b.writeUInt32BE(v, off));
  const u16 = (b: Buffer, v: number, off: number) => (le ? b.writeUInt16LE(v, off) : b.writeUInt16BE(v, off));
  u32(head, opts.nano === true ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  u16(head, 2, 4);
  u16(head, 4, 6);
  u32(head, 262144, 16);
  u32(head, linkType, 20);
  const records = packets.map((p, i) => {
    const r = Buffer.alloc(16);
    u32(r, 1700000000 + i, 0);
    u32(r, opts.nano === true ? 123456789 : 123456, 4);
    u32(r, p.length, 8);
    u32(r, p.length + (i === 1 ? 100 : 0), 12);
    return Buffer.concat([r, p]);
  });
  return Buffer.concat([head, ...records]);
}

async function* inChunks(b: Uint8Array, size: number) {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function collect(b: Uint8Array, size = 7) {
  let header: { linkType: number; snapLen: number } | undefined;
  const recs = [];
  for await (const r of readPcap(inChunks(b, size), (h) => (header = h))) recs.push(r);
  return { header, recs };
}

test("pcap files stream in: both byte orders, micro and nano seconds, split anywhere", async () => {
  for (const opts of [{}, { be: true, nano: true }]) {
    const { header, recs } = await collect(pcapFile(LINKTYPE_ETHERNET, [SYN, SYN], opts));
    assert.deepEqual(header, { linkType: 1, snapLen: 262144 });
    assert.equal(recs.length, 2);
    assert.deepEqual(recs[0]?.data, SYN);
    assert.equal(recs[0]?.seconds, 1700000000);
    assert.equal(recs[0]?.nanos, opts === undefined || !("nano" in opts) ? 123456000 : 123456789);
    assert.equal(recs[1]?.wireLength, SYN.length + 100);
  }
  // Nothing at all, and a record cut short by the end of the stream.
  assert.deepEqual((await collect(new Uint8Array(0))).recs, []);
  const file = pcapFile(LINKTYPE_RAW, [UDP6, UDP6]);
  assert.equal((await collect(file.subarray(0, file.length - 2))).recs.length, 1);
  await assert.rejects(collect(Buffer.from("not a pcap file at all, no")), /unknown pcap magic 6e6f7420/);
});

test("layers of Ethernet/IPv4/TCP and raw IPv6/UDP, as gopacket prints them", () => {
  assert.deepEqual(
    decodeLayers(SYN, LINKTYPE_ETHERNET).map((l) => [l.name, l.size]),
    [
      ["Ethernet", 14],
      ["IPv4", 20],
      ["TCP", 32],
    ],
  );
  assert.deepEqual(
    decodeLayers(UDP6, LINKTYPE_RAW).map((l) => [l.name, l.size]),
    [
      ["IPv6", 40],
      ["UDP", 8],
      ["Payload", 3],
    ],
  );
  assert.deepEqual(
    decodeLayers(hex("0102"), 147).map((l) => l.name),
    ["Payload"],
  );
  const dump = packetDump({ seconds: 0, nanos: 5000, wireLength: SYN.length, data: SYN }, LINKTYPE_ETHERNET);
  const lines = dump.split("\n");
  assert.match(
    lines[0] ?? "",
    /^PACKET: 66 bytes, wire length 66 cap length 66 @ 19\d\d-\d\d-\d\d \d\d:\d\d:\d\d\.000005 [+-]\d{4} \S+$/,
  );
  assert.equal(
    lines[1],
    "- Layer 1 (14 bytes) = Ethernet\t{Contents=[..14..] Payload=[..52..] SrcMAC=00:00:00:00:00:00 DstMAC=00:00:00:00:00:00 EthernetType=IPv4 Length=0}",
  );
  assert.equal(
    lines[2],
    "- Layer 2 (20 bytes) = IPv4\t{Contents=[..20..] Payload=[..32..] Version=4 IHL=5 TOS=0 Length=52 Id=4660 Flags=DF FragOffset=0 TTL=64 Protocol=TCP Checksum=0 SrcIP=127.0.50.2 DstIP=127.0.50.2 Options=[] Padding=[]}",
  );
  assert.equal(
    lines[3],
    "- Layer 3 (32 bytes) = TCP\t{Contents=[..32..] Payload=[] SrcPort=40000 DstPort=50001 Seq=1 Ack=0 DataOffset=8 FIN=false SYN=true RST=false PSH=false ACK=false URG=false ECE=false CWR=false NS=false Window=65495 Checksum=0 Urgent=0 Options=[TCPOption(MSS:1460 0x05b4), TCPOption(NOP:), TCPOption(WindowScale:7 0x07), TCPOption(EndList:)] Padding=[]}",
  );
  assert.equal(dump.endsWith("}\n\n"), true, "fmt.Println after the dump's own newline");
  const udp = packetDump({ seconds: 0, nanos: 0, wireLength: 200, data: UDP6 }, LINKTYPE_RAW).split("\n");
  assert.match(udp[0] ?? "", /^PACKET: 51 bytes, truncated, wire length 200 cap length 51 @ /);
  assert.equal(
    udp[1],
    "- Layer 1 (40 bytes) = IPv6\t{Contents=[..40..] Payload=[..11..] Version=6 TrafficClass=0 FlowLabel=0 Length=11 NextHeader=UDP HopLimit=64 SrcIP=::1 DstIP=::1 HopByHop=nil}",
  );
  assert.equal(
    udp[2],
    "- Layer 2 (08 bytes) = UDP\t{Contents=[..8..] Payload=[..3..] SrcPort=5353 DstPort=53 Length=11 Checksum=0}",
  );
  assert.equal(udp[3], "- Layer 3 (03 bytes) = Payload\t3 byte(s)");
});
