import { open } from "node:fs/promises";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { type Data, MachineService } from "@talos/machinery/api";
import { Command, Option } from "commander";
import { boolOption } from "../cli/bool-option.ts";
import { CliError, errorMessage } from "../cli/errors.ts";
import { packetDump } from "../output/packet-dump.ts";
import { readPcap } from "../output/pcap-reader.ts";
import { failIfMultiNodes, metadataErrorText, requireNodes } from "../transport/node-replies.ts";
import { toCliError } from "../transport/rpc-error.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { parseGoDurationMs, parseInt32 } from "./flag-values.ts";
import { parseBpfInstructions } from "./pcap-bpf.ts";

const DESCRIPTION = `The command launches packet capture on the node and streams back the packets as raw pcap file.

Default behavior is to decode the packets with internal decoder to stdout:

    talosctl pcap -i eth0

Raw pcap file can be saved with \`--output\` flag:

    talosctl pcap -i eth0 --output eth0.pcap

Output can be piped to tcpdump:

    talosctl pcap -i eth0 -o - | tcpdump -vvv -r -

BPF filter can be applied, but it has to compiled to BPF instructions first using tcpdump.
Correct link type should be specified for the tcpdump: EN10MB for Ethernet links and RAW
for e.g. Wireguard tunnels:

    talosctl pcap -i eth0 --bpf-filter "$(tcpdump -dd -y EN10MB 'tcp and dst port 80')"

    talosctl pcap -i kubespan --bpf-filter "$(tcpdump -dd -y RAW 'port 50000')"

As packet capture is transmitted over the network, it is recommended to filter out the Talos API traffic,
e.g. by excluding packets with the port 50000.`;

interface PcapFlags {
  readonly interface: string;
  readonly promiscuous: boolean;
  readonly snaplen?: number;
  readonly output?: string;
  readonly bpfFilter?: string;
  readonly duration?: number;
}

async function write(out: NodeJS.WritableStream, data: Uint8Array | string): Promise<void> {
  if (!out.write(data)) await new Promise<void>((resolve) => out.once("drain", resolve));
}

/**
 * The capture's bytes as they stream in. The end of --duration (or Ctrl-C) ends it quietly, as a finished
 * capture; a node's error (an element with `metadata.error` through apid, or the call's status) is thrown.
 */
async function* captureBytes(stream: AsyncIterable<Data>) {
  try {
    for await (const item of stream) {
      const md = item.metadata;
      if (md !== undefined && md.error !== "") throw new CliError(metadataErrorText(md));
      if (item.bytes.length > 0) yield item.bytes;
    }
  } catch (e) {
    if (e instanceof ConnectError && (e.code === Code.Canceled || e.code === Code.DeadlineExceeded)) return;
    throw toCliError(e);
  }
}

/** Writes the raw pcap stream to a file (created or truncated, as Talos does) or to stdout (`-`). */
async function saveCapture(chunks: AsyncIterable<Uint8Array>, output: string): Promise<void> {
  if (output === "-") {
    for await (const c of chunks) await write(process.stdout, c);
    return;
  }
  const fh = await open(output, "w", 0o644).catch((e: unknown) => {
    throw new CliError(`--output: cannot create ${output}: ${errorMessage(e)}`);
  });
  try {
    for await (const c of chunks) await fh.write(c);
  } finally {
    await fh.close();
  }
}

/** Prints each captured packet, decoded. */
async function dumpCapture(chunks: AsyncIterable<Uint8Array>): Promise<void> {
  let linkType = -1;
  try {
    for await (const rec of readPcap(chunks, (h) => (linkType = h.linkType))) {
      await write(process.stdout, packetDump(rec, linkType));
    }
  } catch (e) {
    // Talos's wording when the capture fails before its file header arrived.
    if (linkType === -1) throw new CliError(`error opening pcap reader: ${errorMessage(e)}`);
    throw e;
  }
}

/** `talosctl pcap` (alias `tcpdump`): captures packets on one node's interface. */
export function registerPcap(root: Command): void {
  root.addCommand(
    new Command("pcap")
      .alias("tcpdump")
      .summary("Capture the network packets from the node.")
      .description(DESCRIPTION)
      .option("-i, --interface <name>", "interface name to capture packets on", "eth0")
      .addOption(boolOption("--promiscuous", "put interface into promiscuous mode", false))
      // Deprecated in Talos (hidden, accepted, not sent): the node picks the snap length.
      .addOption(new Option("-s, --snaplen <int>", "maximum packet size to capture").argParser(parseInt32).hideHelp())
      .option(
        "-o, --output <file>",
        "if not set, decode packets to stdout; if set write raw pcap data to a file, use '-' for stdout",
      )
      .option("--bpf-filter <program>", "bpf filter to apply, tcpdump -dd format")
      .addOption(new Option("--duration <duration>", "duration of the capture").argParser(parseGoDurationMs))
      .action(async (flags: PcapFlags, cmd: Command) => {
        if (flags.snaplen !== undefined) {
          process.stderr.write("Flag --snaplen has been deprecated, support of snap length is removed\n");
        }
        const bpfFilter = parseBpfInstructions(flags.bpfFilter ?? "");
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        failIfMultiNodes(nodes, "pcap");
        const client = createClient(MachineService, conn.transport);
        const duration = flags.duration ?? 0;
        const stream = client.packetCapture(
          { interface: flags.interface, promiscuous: flags.promiscuous, bpfFilter },
          { headers: nodesHeaders(conn, nodes), ...(duration > 0 ? { signal: AbortSignal.timeout(duration) } : {}) },
        );
        const chunks = captureBytes(stream);
        if (flags.output === undefined || flags.output === "") await dumpCapture(chunks);
        else await saveCapture(chunks, flags.output);
      }),
  );
}
