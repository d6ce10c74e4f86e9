// talosctl netstat: the request its flags make and the table it prints, as Talos 1.6's talosctl does.
import { create } from "@bufbuild/protobuf";
import {
  ConnectRecord_State,
  ConnectRecord_TimerActive,
  type Netstat,
  type NetstatRequest,
  NetstatRequest_Filter,
  NetstatRequestSchema,
} from "@talos/machinery/api";
import { enumName } from "../output/go-format.ts";
import { formatTable } from "../util/tab-writer.ts";

export interface NetstatFlags {
  readonly verbose?: boolean;
  readonly extend?: boolean;
  readonly programs?: boolean;
  readonly timers?: boolean;
  readonly listening?: boolean;
  readonly all?: boolean;
  readonly pods?: boolean;
  readonly tcp?: boolean;
  readonly udp?: boolean;
  readonly udplite?: boolean;
  readonly raw?: boolean;
  readonly ipv4?: boolean;
  readonly ipv6?: boolean;
}

/**
 * The NetstatRequest of the flags: -t/-u/-U/-w pick both IP versions of a protocol, -v all of them, none
 * means TCP and UDP; -4 or -6 alone drops the other version. Connected sockets unless -a or -l.
 */
export function netstatRequest(f: NetstatFlags): NetstatRequest {
  const every = f.verbose === true;
  const l4 = {
    tcp: every || f.tcp === true,
    tcp6: every || f.tcp === true,
    udp: every || f.udp === true,
    udp6: every || f.udp === true,
    udplite: every || f.udplite === true,
    udplite6: every || f.udplite === true,
    raw: every || f.raw === true,
    raw6: every || f.raw === true,
  };
  if (!Object.values(l4).some((v) => v)) {
    l4.tcp = l4.tcp6 = l4.udp = l4.udp6 = true;
  }
  if (f.ipv4 === true && f.ipv6 !== true) {
    l4.tcp6 = l4.udp6 = l4.udplite6 = l4.raw6 = false;
  }
  if (f.ipv6 === true && f.ipv4 !== true) {
    l4.tcp = l4.udp = l4.udplite = l4.raw = false;
  }
  const filter =
    f.all === true
      ? NetstatRequest_Filter.ALL
      : f.listening === true
        ? NetstatRequest_Filter.LISTENING
        : NetstatRequest_Filter.CONNECTED;
  return create(NetstatRequestSchema, {
    filter,
    feature: { pid: f.programs === true },
    l4proto: l4,
    netns: { allnetns: f.pods === true, hostnetwork: true },
  });
}

function header(f: NetstatFlags): string[] {
  return [
    "Proto",
    "Recv-Q",
    "Send-Q",
    "Local Address",
    "Foreign Address",
    "State",
    ...(f.extend === true ? ["Uid", "Inode"] : []),
    ...(f.programs === true ? ["PID/Program name"] : []),
    ...(f.pods === true ? ["Pod"] : []),
    ...(f.timers === true ? ["Timer"] : []),
  ];
}

/**
 * The table: a NODE column when replies carry a hostname (always through apid's `nodes` fan-out). As in
 * Talos, the header is written with the first record of the first reply only, so a first node without
 * sockets leaves the table headerless; a reply without a hostname keeps the previous one's node.
 * `podsByNode` maps a node's network namespace names to pod IDs (for -k).
 */
export function netstatTable(
  messages: readonly Netstat[],
  f: NetstatFlags,
  podsByNode: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(),
): string {
  const rows: string[][] = [];
  let node = "";
  messages.forEach((msg, i) => {
    if (msg.metadata !== undefined && msg.metadata.hostname !== "") node = msg.metadata.hostname;
    msg.connectrecord.forEach((r, j) => {
      if (i === 0 && j === 0) rows.push([...(node !== "" ? ["NODE"] : []), ...header(f)]);
      const row = node !== "" ? [node] : [];
      row.push(
        r.l4proto,
        String(r.rxqueue),
        String(r.txqueue),
        `${r.localip}:${r.localport}`,
        `${r.remoteip}:${r.remoteport === 0 ? "*" : r.remoteport}`,
        r.state === ConnectRecord_State.CLOSE ? "" : enumName(ConnectRecord_State, r.state),
      );
      if (f.extend === true) row.push(String(r.uid), String(r.inode));
      if (f.programs === true) {
        const p = r.process;
        row.push(p !== undefined && p.pid !== 0 ? `${p.pid}/${p.name}` : "-");
      }
      if (f.pods === true) {
        const pods = podsByNode.get(node);
        row.push(r.netns === "" || node === "" || pods === undefined ? "-" : (pods.get(r.netns) ?? ""));
      }
      if (f.timers === true) {
        const when = (Number(r.timerwhen) / 100).toFixed(2);
        row.push(`${enumName(ConnectRecord_TimerActive, r.tr).toLowerCase()} (${when}/${r.retrnsmt}/${r.timeout})`);
      }
      rows.push(row);
    });
  });
  return formatTable(rows);
}
