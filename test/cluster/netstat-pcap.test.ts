// talosctl netstat and pcap against real node processes on 127.0.50.x: the node's listening apid (50000) and
// trustd (50001) sockets with the owning process, one reply per node, the roles Talos requires, and pcap
// refused with Unimplemented (see packages/machined/src/server/packet-capture.ts).
import "reflect-metadata";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MachineService, NetstatRequest_Filter } from "@talos/machinery/api";
import { decodeCertAndKey, issueClientCertificate, loadCertificateAuthority } from "@talos/machinery/secrets";
import { clusterSecrets, startCluster, type TestCluster, waitForPort } from "./harness.ts";

const re = (s: string) => s.replaceAll(".", "\\.").replaceAll("*", "\\*");

describe("netstat and pcap on node processes", () => {
  let cluster: TestCluster;
  let a: string;
  let b: string;
  before(async () => {
    cluster = await startCluster(50, 2);
    [a, b] = cluster.nodes.map((n) => n.address) as [string, string];
    await Promise.all([waitForPort(a, 50001), waitForPort(b, 50001)]);
  });
  after(() => cluster?.cleanup());

  it("netstat -l -t lists the node's apid and trustd listeners", async () => {
    const r = await cluster.talosctl(["-e", a, "-n", a, "netstat", "-l", "-t"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^NODE +Proto +Recv-Q +Send-Q +Local Address +Foreign Address +State$/);
    for (const port of [50000, 50001]) {
      assert.match(r.stdout, new RegExp(`\\n${re(a)} +tcp +0 +0 +${re(a)}:${port} +0\\.0\\.0\\.0:\\* +LISTEN\\n`));
    }
    // Listening TCP sockets only: nothing connected, no UDP.
    for (const line of lines.slice(1)) assert.match(line, /^\S+ +tcp6? +\d+ +\d+ +\S+ +\S+:\* +LISTEN$/, line);
  });

  it("-p names the node process that owns them", async () => {
    const pid = cluster.nodes[0]?.process?.pid;
    assert.ok(pid !== undefined);
    const comm = (await readFile(`/proc/${pid}/comm`, "utf8")).trim();
    const r = await cluster.talosctl(["-e", a, "-n", a, "netstat", "-ltp", "-4"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^NODE .* State +PID\/Program name\n/);
    for (const port of [50000, 50001]) {
      assert.match(
        r.stdout,
        new RegExp(`\\n${re(a)} +tcp +0 +0 +${re(a)}:${port} +\\S+ +LISTEN +${pid}/${re(comm)}\\n`),
      );
    }
    assert.doesNotMatch(r.stdout, / tcp6 /, "-4 drops IPv6 sockets");
  });

  it("without -l the connected sockets show, among them talosctl's own connection to apid", async () => {
    const r = await cluster.talosctl(["-e", a, "-n", a, "netstat", "--tcp"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`\\n${re(a)} +tcp +\\d+ +\\d+ +${re(a)}:50000 +[\\d.]+:\\d+ +ESTABLISHED\\n`));
    assert.doesNotMatch(r.stdout, / LISTEN\n/);
  });

  it("several nodes: one reply per node, each under its own NODE, through one endpoint", async () => {
    const r = await cluster.talosctl(["-e", a, "-n", `${a},${b}`, "netstat", "-l", "-t", "-4"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.match(/^NODE /gm)?.length, 1);
    // Process nodes share the host's network namespace: each node sees both nodes' listeners.
    for (const node of [a, b]) {
      for (const [addr, port] of [
        [a, 50000],
        [b, 50001],
      ] as const) {
        assert.match(
          r.stdout,
          new RegExp(`\\n${re(node)} +tcp +0 +0 +${re(addr)}:${port} +0\\.0\\.0\\.0:\\* +LISTEN\\n`),
        );
      }
    }
  });

  it("pcap is refused with Unimplemented, after an unknown interface gets NotFound", async () => {
    const refused = await cluster.talosctl(["-e", a, "-n", a, "pcap", "-i", "lo", "--duration", "5s"]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^error: error opening pcap reader: rpc error: code = Unimplemented desc = packet capture is not supported on this node: .*AF_PACKET/,
    );
    const raw = await cluster.talosctl(["-e", a, "-n", b, "pcap", "-i", "nosuch0", "-o", "-"]);
    assert.equal(raw.code, 1);
    assert.equal(raw.stdout, "");
    assert.equal(raw.stderr, 'error: rpc error: code = NotFound desc = interface "nosuch0" not found\n');
  });

  it("roles: a reader may call Netstat, PacketCapture needs an operator", async () => {
    const osCA = loadCertificateAuthority(decodeCertAndKey((await clusterSecrets(cluster)).osCA));
    const client = async (role: string) => {
      const cert = await issueClientCertificate(osCA, { roles: [role] });
      const transport = createGrpcTransport({
        baseUrl: `https://${a}:50000`,
        nodeOptions: { ca: osCA.crt, cert: cert.crt, key: cert.key.replaceAll("ED25519 PRIVATE KEY", "PRIVATE KEY") },
      });
      return createClient(MachineService, transport);
    };
    const capture = async (c: Awaited<ReturnType<typeof client>>) => {
      for await (const _ of c.packetCapture({ interface: "lo" })) assert.fail("no capture data expected");
    };
    const reader = await client("os:reader");
    const reply = await reader.netstat({
      filter: NetstatRequest_Filter.LISTENING,
      l4proto: { tcp: true },
      netns: { hostnetwork: true },
    });
    assert.ok(reply.messages[0]?.connectrecord.some((r) => r.localip === a && r.localport === 50000));
    await assert.rejects(capture(reader), { code: Code.PermissionDenied });
    await assert.rejects(capture(await client("os:operator")), { code: Code.Unimplemented });
  });
});
