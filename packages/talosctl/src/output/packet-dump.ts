// The packet dump of `talosctl pcap` without --output: each packet as gopacket's Packet.String() lays it out
// (a PACKET line, then `- Layer N (NN bytes) = Type\t{Field=value ...}`), for Ethernet, IPv4, IPv6, TCP, UDP
// and ICMPv4; what follows them is a Payload. Port and option names are printed as numbers.
import { formatIPAddress as formatIp } from "@talos/machinery/secrets";
import type { PcapRecord } from "./pcap-reader.ts";

/** pcap link types (LINKTYPE_*). */
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;

interface Layer {
  readonly name: string;
  /** The header bytes. */
  readonly size: number;
  /** `{...}` fields after Contents/Payload, or a plain text (Payload). */
  readonly fields?: string;
  readonly text?: string;
}

const bytes = (n: number) => (n === 0 ? "[]" : `[..${n}..]`);
const mac = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(":");
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

const ETHER_TYPES: Record<number, string> = { 2048: "IPv4", 2054: "ARP", 34525: "IPv6", 33024: "Dot1Q" };
const IP_PROTOCOLS: Record<number, string> = {
  0: "IPv6HopByHop",
  1: "ICMPv4",
  2: "IGMP",
  6: "TCP",
  17: "UDP",
  41: "IPv6",
  47: "GRE",
  58: "ICMPv6",
  132: "SCTP",
};
const ICMP_TYPES: Record<number, string> = {
  0: "EchoReply",
  3: "DestinationUnreachable",
  8: "EchoRequest",
  11: "TimeExceeded",
};
const TCP_OPTIONS: Record<number, string> = {
  0: "EndList",
  1: "NOP",
  2: "MSS",
  3: "WindowScale",
  4: "SACKPermitted",
  5: "SACK",
  8: "Timestamps",
};

function tcpOptions(b: Uint8Array): string[] {
  const opts: string[] = [];
  for (let i = 0; i < b.length; ) {
    const kind = b[i] ?? 0;
    const name = TCP_OPTIONS[kind] ?? `Unknown(${kind})`;
    if (kind === 0 || kind === 1) {
      opts.push(`TCPOption(${name}:)`);
      i++;
      if (kind === 0) break;
      continue;
    }
    const len = Math.max(2, b[i + 1] ?? 2);
    const data = b.subarray(i + 2, i + len);
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let value = data.length > 0 ? `0x${hex(data)}` : "";
    if (kind === 2 && data.length === 2) value = `${dv.getUint16(0)} ${value}`;
    if (kind === 3 && data.length === 1) value = `${data[0]} ${value}`;
    if (kind === 8 && data.length === 8) value = `${dv.getUint32(0)}/${dv.getUint32(4)} ${value}`;
    opts.push(`TCPOption(${name}:${value})`);
    i += len;
  }
  return opts;
}

/** The layers of one packet's bytes, starting at the link layer. */
export function decodeLayers(data: Uint8Array, linkType: number): Layer[] {
  const layers: Layer[] = [];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let off = 0;
  let next: "ether" | "ip" | "tcp" | "udp" | "icmp" | "payload" = linkType === LINKTYPE_ETHERNET ? "ether" : "ip";
  if (linkType !== LINKTYPE_ETHERNET && linkType !== LINKTYPE_RAW) next = "payload";
  const left = () => data.length - off;
  const byProto = (p: number) => (p === 6 ? "tcp" : p === 17 ? "udp" : p === 1 ? "icmp" : "payload");

  while (left() > 0) {
    if (next === "ether" && left() >= 14) {
      const type = view.getUint16(off + 12);
      const typeName = ETHER_TYPES[type] ?? `UnknownEthernetType(${type})`;
      const fields = `SrcMAC=${mac(data.subarray(off + 6, off + 12))} DstMAC=${mac(data.subarray(off, off + 6))} EthernetType=${typeName} Length=0`;
      layers.push({ name: "Ethernet", size: 14, fields });
      off += 14;
      next = type === 0x0800 || type === 0x86dd ? "ip" : "payload";
    } else if (next === "ip" && (data[off] ?? 0) >> 4 === 4 && left() >= 20) {
      const ihl = (data[off] ?? 0) & 0x0f;
      const size = Math.min(Math.max(ihl * 4, 20), left());
      const flags = (data[off + 6] ?? 0) >> 5;
      const flagText = [flags & 4 ? "Evil" : "", flags & 2 ? "DF" : "", flags & 1 ? "MF" : ""].filter((s) => s !== "");
      const proto = data[off + 9] ?? 0;
      const fields =
        `Version=4 IHL=${ihl} TOS=${data[off + 1]} Length=${view.getUint16(off + 2)} Id=${view.getUint16(off + 4)} ` +
        `Flags=${flagText.join("|")} FragOffset=${view.getUint16(off + 6) & 0x1fff} TTL=${data[off + 8]} ` +
        `Protocol=${IP_PROTOCOLS[proto] ?? proto} Checksum=${view.getUint16(off + 10)} ` +
        `SrcIP=${formatIp(data.subarray(off + 12, off + 16))} DstIP=${formatIp(data.subarray(off + 16, off + 20))} ` +
        `Options=[] Padding=[]`;
      layers.push({ name: "IPv4", size, fields });
      off += size;
      next = byProto(proto);
    } else if (next === "ip" && (data[off] ?? 0) >> 4 === 6 && left() >= 40) {
      const word = view.getUint32(off);
      const proto = data[off + 6] ?? 0;
      const fields =
        `Version=6 TrafficClass=${(word >>> 20) & 0xff} FlowLabel=${word & 0xfffff} Length=${view.getUint16(off + 4)} ` +
        `NextHeader=${IP_PROTOCOLS[proto] ?? proto} HopLimit=${data[off + 7]} ` +
        `SrcIP=${formatIp(data.subarray(off + 8, off + 24))} DstIP=${formatIp(data.subarray(off + 24, off + 40))} HopByHop=nil`;
      layers.push({ name: "IPv6", size: 40, fields });
      off += 40;
      next = byProto(proto);
    } else if (next === "tcp" && left() >= 20) {
      const dataOffset = (data[off + 12] ?? 0) >> 4;
      const size = Math.min(Math.max(dataOffset * 4, 20), left());
      const f = view.getUint16(off + 12) & 0x1ff;
      const bit = (n: number) => String((f & (1 << n)) !== 0);
      const fields =
        `SrcPort=${view.getUint16(off)} DstPort=${view.getUint16(off + 2)} Seq=${view.getUint32(off + 4)} ` +
        `Ack=${view.getUint32(off + 8)} DataOffset=${dataOffset} FIN=${bit(0)} SYN=${bit(1)} RST=${bit(2)} ` +
        `PSH=${bit(3)} ACK=${bit(4)} URG=${bit(5)} ECE=${bit(6)} CWR=${bit(7)} NS=${bit(8)} ` +
        `Window=${view.getUint16(off + 14)} Checksum=${view.getUint16(off + 16)} Urgent=${view.getUint16(off + 18)} ` +
        `Options=[${tcpOptions(data.subarray(off + 20, off + size)).join(", ")}] Padding=[]`;
      layers.push({ name: "TCP", size, fields });
      off += size;
      next = "payload";
    } else if (next === "udp" && left() >= 8) {
      const fields =
        `SrcPort=${view.getUint16(off)} DstPort=${view.getUint16(off + 2)} ` +
        `Length=${view.getUint16(off + 4)} Checksum=${view.getUint16(off + 6)}`;
      layers.push({ name: "UDP", size: 8, fields });
      off += 8;
      next = "payload";
    } else if (next === "icmp" && left() >= 8) {
      const type = data[off] ?? 0;
      const typeCode = `${ICMP_TYPES[type] ?? `Type${type}`}${type === 0 || type === 8 ? "" : `(${data[off + 1]})`}`;
      const fields =
        `TypeCode=${typeCode} Checksum=${view.getUint16(off + 2)} ` +
        `Id=${view.getUint16(off + 4)} Seq=${view.getUint16(off + 6)}`;
      layers.push({ name: "ICMPv4", size: 8, fields });
      off += 8;
      next = "payload";
    } else {
      layers.push({ name: "Payload", size: left(), text: `${left()} byte(s)` });
      off = data.length;
    }
  }
  return layers;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** Go's time.Time.String() of a capture timestamp, in local time. */
function goLocalTime(seconds: number, nanos: number): string {
  const d = new Date(seconds * 1000);
  const off = -d.getTimezoneOffset();
  const zone =
    new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(d).find((p) => p.type === "timeZoneName")
      ?.value ?? "UTC";
  const frac = nanos === 0 ? "" : `.${String(nanos).padStart(9, "0").replace(/0+$/, "")}`;
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}${frac} ` +
    `${off < 0 ? "-" : "+"}${pad2(Math.floor(Math.abs(off) / 60))}${pad2(Math.abs(off) % 60)} ${zone}`
  );
}

/** One packet as talosctl prints it (`fmt.Println(packet)`: the dump, then an empty line). */
export function packetDump(rec: PcapRecord, linkType: number): string {
  let out = `PACKET: ${rec.data.length} bytes`;
  if (rec.wireLength > rec.data.length) out += ", truncated";
  if (rec.wireLength > 0) out += `, wire length ${rec.wireLength} cap length ${rec.data.length}`;
  out += ` @ ${goLocalTime(rec.seconds, rec.nanos)}\n`;
  let rest = rec.data.length;
  decodeLayers(rec.data, linkType).forEach((l, i) => {
    rest -= l.size;
    const body = l.text ?? `{Contents=${bytes(l.size)} Payload=${bytes(rest)} ${l.fields ?? ""}}`;
    out += `- Layer ${i + 1} (${pad2(l.size)} bytes) = ${l.name}\t${body}\n`;
  });
  return `${out}\n`;
}
