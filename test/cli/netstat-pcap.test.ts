// talosctl netstat and pcap against a fake apid, through the real CLI: the requests the flags make, the
// tables, node errors, the pod lookup, and pcap's raw, decoded and refused captures.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import {
  ConnectRecord_State,
  MachineService,
  type NetstatRequest,
  NetstatRequest_Filter,
  type PacketCaptureRequest,
} from "@talos/machinery/api";
import { type FakeApid, fanOut, startFakeApid } from "./fake-apid.ts";
import { runTalosctl } from "./harness.ts";

const DOWN = "10.5.0.9";
const DOWN_ERROR = new ConnectError("connection refused", Code.Unavailable);

// A pcap file (LE, microseconds, Ethernet) holding one TCP SYN 10.5.0.2:40000 → 10.5.0.3:50000.
const SYN = Buffer.from(
  "00000000000200000000000108004500002800014000400600000a0500020a0500039c40c350000000010000000050027210" + "00000000",
  "hex",
);
function pcapFile(): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(4096, 16);
  head.writeUInt32LE(1, 20);
  const rec = Buffer.alloc(16);
  rec.writeUInt32LE(1700000000, 0);
  rec.writeUInt32LE(250000, 4);
  rec.writeUInt32LE(SYN.length, 8);
  rec.writeUInt32LE(SYN.length, 12);
  return Buffer.concat([head, rec, SYN]);
}

const listener = (port: number, pid: number, name: string) => ({
  l4proto: "tcp",
  localip: "127.0.50.2",
  localport: port,
  remoteip: "0.0.0.0",
  remoteport: 0,
  state: ConnectRecord_State.LISTEN,
  inode: 100n + BigInt(port),
  process: { pid, name },
});

describe("talosctl netstat and pcap", { concurrency: 4 }, () => {
  let apid: FakeApid;
  const netstatSeen: { req: NetstatRequest; node: string | null; nodes: string | null }[] = [];
  const pcapSeen: PacketCaptureRequest[] = [];
  const run = (nodes: string, ...args: string[]) =>
    runTalosctl(["--talosconfig", apid.talosconfig, "-n", nodes, ...args], { cwd: apid.dir });

  before(async () => {
    apid = await startFakeApid({
      routes: (router) =>
        router.service(MachineService, {
          netstat: (req, ctx: HandlerContext) => {
            netstatSeen.push({ req, node: ctx.requestHeader.get("node"), nodes: ctx.requestHeader.get("nodes") });
            if (ctx.requestHeader.get("node") !== null) {
              return { messages: [{ connectrecord: [{ ...listener(53, 0, ""), netns: req.netns?.netns[0] ?? "" }] }] };
            }
            return fanOut(ctx, (node) =>
              node === DOWN
                ? DOWN_ERROR
                : {
                    connectrecord: [
                      listener(50000, 41, "machined"),
                      ...(req.netns?.allnetns === true ? [{ ...listener(8080, 0, ""), netns: "cni-1" }] : []),
                    ],
                  },
            );
          },
          containers: (_req, ctx) =>
            fanOut(ctx, () => ({
              containers: [
                { id: "kube-system/coredns", podId: "kube-system/coredns", pid: 7, networkNamespace: "cni-1" },
                { id: "coredns", podId: "kube-system/coredns", pid: 8, networkNamespace: "cni-1" },
              ],
            })),
          async *packetCapture(req, ctx) {
            pcapSeen.push(req);
            if (req.interface === "nope") throw new ConnectError('interface "nope" not found', Code.NotFound);
            if (req.interface === "lo") {
              throw new ConnectError("packet capture is not supported on this node: no AF_PACKET", Code.Unimplemented);
            }
            const file = pcapFile();
            // Split mid-header and mid-record, as a real stream may.
            for (const part of [file.subarray(0, 10), file.subarray(10, 50), file.subarray(50)]) {
              yield { bytes: part, metadata: { hostname: ctx.requestHeader.get("nodes") ?? "" } };
            }
            // "follow" keeps the capture open until the client hangs up (--duration).
            if (req.interface === "follow")
              await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
          },
        }),
    });
  });
  after(async () => apid.close());

  it("netstat -l -t -p: the request, and a table with NODE and PID/Program name columns", async () => {
    const r = await run("10.5.0.2,10.5.0.3", "netstat", "-ltp");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "NODE       Proto   Recv-Q   Send-Q   Local Address      Foreign Address   State    PID/Program name\n" +
        "10.5.0.2   tcp     0        0        127.0.50.2:50000   0.0.0.0:*         LISTEN   41/machined\n" +
        "10.5.0.3   tcp     0        0        127.0.50.2:50000   0.0.0.0:*         LISTEN   41/machined\n",
    );
    const seen = netstatSeen.find((s) => s.nodes === "10.5.0.2, 10.5.0.3" || s.nodes === "10.5.0.2,10.5.0.3");
    assert.ok(seen, JSON.stringify(netstatSeen.map((s) => s.nodes)));
    assert.equal(seen.req.filter, NetstatRequest_Filter.LISTENING);
    assert.equal(seen.req.feature?.pid, true);
    assert.deepEqual(
      [seen.req.l4proto?.tcp, seen.req.l4proto?.tcp6, seen.req.l4proto?.udp, seen.req.l4proto?.raw],
      [true, true, false, false],
    );
    assert.equal(seen.req.netns?.hostnetwork, true);
  });

  it("a failed node is a warning: the others' sockets are printed and the command succeeds", async () => {
    const r = await run(`10.5.0.2,${DOWN}`, "ss", "-a", "-x");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^NODE {7}Proto .* State {4}Uid {3}Inode\n10\.5\.0\.2 .* LISTEN {3}0 {5}50100\n$/);
    assert.equal(
      r.stderr,
      `WARNING: 1 error occurred:\n\t* ${DOWN}: rpc error: code = Unavailable desc = connection refused\n`,
    );
  });

  it("-k names the pod owning a namespace; a pod argument asks its node for that namespace only", async () => {
    const r = await run("10.5.0.2", "netstat", "-k", "-l");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /State {4}Pod\n.*:50000 .* LISTEN {3}-\n.*:8080 .* LISTEN {3}kube-system\/coredns\n$/);

    const pod = await run("10.5.0.2", "netstat", "Kube-System/CoreDNS");
    assert.equal(pod.code, 0, pod.stderr);
    assert.match(pod.stdout, /^Proto .*\ntcp .*127\.0\.50\.2:53 /);
    const seen = netstatSeen.find((s) => s.node === "10.5.0.2");
    assert.ok(seen);
    assert.deepEqual(seen.req.netns?.netns, ["cni-1"]);
    assert.equal(seen.req.netns?.hostnetwork, false);

    const missing = await run("10.5.0.2", "netstat", "default/nope");
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, "error: pod default/nope not found\n");
    const both = await run("10.5.0.2", "netstat", "-k", "kube-system/coredns");
    assert.equal(both.code, 1);
    assert.equal(both.stderr, "error: cannot use --pods and specify a pod\n");
    const extra = await run("10.5.0.2", "netstat", "a/b", "c/d");
    assert.equal(extra.code, 1);
    assert.match(extra.stderr, /too many arguments/);
  });

  it("pcap -o writes the raw capture; the request carries the interface, promiscuity and the BPF program", async () => {
    const out = join(apid.dir, "eth0.pcap");
    const r = await run(
      "10.5.0.2",
      "pcap",
      "-i",
      "eth1",
      "--promiscuous",
      "-o",
      out,
      "--bpf-filter",
      "{ 0x28, 0, 0, 0x0000000c },\n{ 0x6, 0, 0, 0x00040000 },\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await readFile(out), pcapFile());
    const req = pcapSeen.find((p) => p.interface === "eth1");
    assert.ok(req);
    assert.equal(req.promiscuous, true);
    assert.equal(req.snapLen, 0);
    assert.deepEqual(
      req.bpfFilter.map((i) => [i.op, i.jt, i.jf, i.k]),
      [
        [0x28, 0, 0, 12],
        [6, 0, 0, 0x40000],
      ],
    );
    const stdout = await run("10.5.0.2", "pcap", "-o", "-");
    assert.equal(stdout.code, 0, stdout.stderr);
    assert.equal(Buffer.byteLength(stdout.stdout, "latin1") > 40, true);
    assert.doesNotMatch(stdout.stdout, /PACKET/);
  });

  it("pcap without -o decodes each packet; --duration ends an open capture quietly", async () => {
    const r = await run("10.5.0.2", "tcpdump", "-i", "follow", "--duration", "500ms", "-s", "100");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "Flag --snaplen has been deprecated, support of snap length is removed\n");
    const lines = r.stdout.split("\n");
    assert.match(lines[0] ?? "", /^PACKET: 54 bytes, wire length 54 cap length 54 @ 2023-11-1\d \d\d:\d\d:\d\d\.25 /);
    assert.match(lines[2] ?? "", /= IPv4\t\{.* SrcIP=10\.5\.0\.2 DstIP=10\.5\.0\.3 /);
    assert.match(lines[3] ?? "", /= TCP\t\{.* SrcPort=40000 DstPort=50000 .* SYN=true /);
    assert.equal(lines.length, 6, r.stdout);
  });

  it("pcap errors: the node's refusal, an unknown interface, bad flags, several nodes", async () => {
    const refused = await run("10.5.0.2", "pcap", "-i", "lo");
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      "error: error opening pcap reader: rpc error: code = Unimplemented desc = packet capture is not supported on this node: no AF_PACKET\n",
    );
    const raw = await run("10.5.0.2", "pcap", "-i", "nope", "-o", join(apid.dir, "nope.pcap"));
    assert.equal(raw.code, 1);
    assert.equal(raw.stderr, 'error: rpc error: code = NotFound desc = interface "nope" not found\n');
    const bpf = await run("10.5.0.2", "pcap", "--bpf-filter", "tcp port 80");
    assert.equal(bpf.code, 1);
    assert.match(bpf.stderr, /^error: --bpf-filter: error parsing bpf instruction "tcp port 80": expected /);
    const duration = await run("10.5.0.2", "pcap", "--duration", "5");
    assert.equal(duration.code, 1);
    assert.match(duration.stderr, /--duration.*time: missing unit in duration "5"/);
    const many = await run("10.5.0.2,10.5.0.3", "pcap");
    assert.equal(many.code, 1);
    assert.equal(many.stderr, 'error: command "pcap" is not supported with multiple nodes\n');
  });
});
