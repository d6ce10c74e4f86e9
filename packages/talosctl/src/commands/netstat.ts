import { type Client, createClient } from "@connectrpc/connect";
import { type Container, ContainerDriver, MachineService, type Netstat } from "@talos/machinery/api";
import { Command } from "commander";
import { CliError, errorMessage } from "../cli/errors.ts";
import { callError, replyNode, requireNodes, splitReplies } from "../transport/node-replies.ts";
import { multiNodeError } from "../transport/rpc-error.ts";
import { connect, nodeHeaders, nodesHeaders, type TalosConnection } from "../transport/talos-client.ts";
import { type NetstatFlags, netstatRequest, netstatTable } from "./netstat-output.ts";

const DESCRIPTION = `Show network connections and sockets.

You can pass an optional argument to view a specific pod's connections.
To do this, format the argument as "namespace/pod".
Note that only pods with a pod network namespace are allowed.
If you don't pass an argument, the command will show host connections.`;

type PodsByNode = Map<string, Map<string, string>>;

function warn(message: string): void {
  process.stderr.write(`WARNING: ${message}\n`);
}

/** Each pod sandbox's network namespace → pod ID, per node (Talos's getPodNetNsFromNode over CRI). */
export function podNetNsByNode(messages: readonly Container[]): PodsByNode {
  const pods: PodsByNode = new Map();
  for (const msg of messages) {
    const node = replyNode(msg, "");
    for (const c of msg.containers) {
      if (c.networkNamespace === "" || c.pid === 0 || c.id !== c.podId) continue;
      if (!pods.has(node)) pods.set(node, new Map());
      pods.get(node)?.set(c.networkNamespace, c.id);
    }
  }
  return pods;
}

async function fetchPods(
  client: Client<typeof MachineService>,
  conn: TalosConnection,
  nodes: readonly string[],
): Promise<PodsByNode> {
  let messages: Container[];
  try {
    const reply = await client.containers(
      { namespace: "k8s.io", driver: ContainerDriver.CRI },
      { headers: nodesHeaders(conn, nodes) },
    );
    const { ok, errors } = splitReplies(reply.messages);
    if (errors.length > 0) throw multiNodeError(errors);
    messages = ok;
  } catch (e) {
    const err = callError(e);
    warn(`error getting containers: ${errorMessage(err)}`);
    throw err;
  }
  return podNetNsByNode(messages);
}

/** `talosctl netstat [namespace/pod]` (alias `ss`): the sockets of the nodes, or of one pod's namespace. */
export function registerNetstat(root: Command): void {
  root.addCommand(
    new Command("netstat")
      .alias("ss")
      .summary("Show network connections and sockets")
      .description(DESCRIPTION)
      .argument("[namespace/pod]")
      .option("-v, --verbose", "display sockets of all supported transport protocols")
      // -e would be the usual flag, but it is talosctl's --endpoints.
      .option("-x, --extend", "show detailed socket information")
      .option("-p, --programs", "show process using socket")
      .option("-o, --timers", "display timers")
      .option("-l, --listening", "display listening server sockets")
      .option("-a, --all", "display all sockets states (default: connected)")
      .option("-k, --pods", "show sockets used by Kubernetes pods")
      .option("-t, --tcp", "display only TCP sockets")
      .option("-u, --udp", "display only UDP sockets")
      .option("-U, --udplite", "display only UDPLite sockets")
      .option("-w, --raw", "display only RAW sockets")
      .option("-4, --ipv4", "display only ipv4 sockets")
      .option("-6, --ipv6", "display only ipv6 sockets")
      .action(async (pod: string | undefined, flags: NetstatFlags, cmd: Command) => {
        const req = netstatRequest(flags);
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        if (flags.pods === true && pod !== undefined) throw new CliError("cannot use --pods and specify a pod");
        const client = createClient(MachineService, conn.transport);
        const pods = pod !== undefined || flags.pods === true ? await fetchPods(client, conn, nodes) : new Map();

        let headers = nodesHeaders(conn, nodes);
        if (pod !== undefined) {
          const wanted = pod.toLowerCase();
          const found = [...pods].flatMap(([node, byNs]) =>
            [...byNs].filter(([, id]) => id === wanted).map(([netns]) => ({ node, netns })),
          )[0];
          if (found === undefined) throw new CliError(`pod ${pod} not found`);
          headers = nodeHeaders(conn, found.node);
          if (req.netns !== undefined) {
            req.netns.netns = [found.netns];
            req.netns.hostnetwork = false;
          }
        }

        let messages: Netstat[];
        try {
          messages = (await client.netstat(req, { headers })).messages;
        } catch (e) {
          throw callError(e);
        }
        // As talosctl does, node errors are a warning: the other nodes' sockets are still printed.
        const { ok, errors } = splitReplies(messages);
        if (errors.length > 0) warn(multiNodeError(errors).message);
        process.stdout.write(netstatTable(ok, flags, pods));
      }),
  );
}
