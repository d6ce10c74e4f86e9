import { readFile } from "node:fs/promises";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { type Data, DataSchema, MachineService } from "@talos/machinery/api";
import { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { callNodesOrFail, failIfMultiNodes, requireNodes } from "../transport/node-replies.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";

interface BootstrapFlags {
  readonly recoverFrom?: string;
  readonly recoverSkipHashCheck?: boolean;
}

/** Size of the chunks a snapshot is uploaded in (`EtcdRecover` is a client stream of `common.Data`). */
const CHUNK = 1024 * 1024;

/**
 * `talosctl bootstrap [--recover-from FILE] [--recover-skip-hash-check]`: bootstraps etcd on one control
 * plane node, optionally from a snapshot uploaded first.
 */
export function registerBootstrap(root: Command): void {
  root.addCommand(
    new Command("bootstrap")
      .summary("Bootstrap the etcd cluster on the specified node.")
      .description(
        "When Talos cluster is created etcd service on control plane nodes enter the join loop waiting\n" +
          "to join etcd peers from other control plane nodes. One node should be picked as the boostrap node.\n" +
          "When boostrap command is issued, the node aborts join process and bootstraps etcd cluster as a single node cluster.\n" +
          "Other control plane nodes will join etcd cluster once Kubernetes is boostrapped on the bootstrap node.\n\n" +
          'This command should not be used when "init" type node are used.\n\n' +
          "Talos etcd cluster can be recovered from a known snapshot with '--recover-from=' flag.",
      )
      .option("--recover-from <path>", "recover etcd cluster from the snapshot")
      .option(
        "--recover-skip-hash-check",
        "skip integrity check when recovering etcd (use when recovering from data directory copy)",
      )
      .action(async (flags: BootstrapFlags, cmd: Command) => {
        await runBootstrap(cmd, flags);
      }),
  );
}

async function* chunks(data: Uint8Array): AsyncIterable<Data> {
  for (let off = 0; off < data.length; off += CHUNK) {
    yield create(DataSchema, { bytes: data.subarray(off, off + CHUNK) });
  }
}

async function runBootstrap(cmd: Command, flags: BootstrapFlags): Promise<void> {
  const conn = await connect(cmd);
  const nodes = requireNodes(conn);
  failIfMultiNodes(nodes, "bootstrap");
  const client = createClient(MachineService, conn.transport);
  const headers = nodesHeaders(conn, nodes);
  const recoverFrom = flags.recoverFrom ?? "";
  if (recoverFrom !== "") {
    let snapshot: Uint8Array;
    try {
      snapshot = await readFile(recoverFrom);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason =
        code === "ENOENT" ? "no such file or directory" : code === "EISDIR" ? "is a directory" : (e as Error).message;
      throw new CliError(`error opening snapshot file: open ${recoverFrom}: ${reason}`);
    }
    await callNodesOrFail("error uploading snapshot", () => client.etcdRecover(chunks(snapshot), { headers }));
  }
  await callNodesOrFail("error executing bootstrap", () =>
    client.bootstrap(
      { recoverEtcd: recoverFrom !== "", recoverSkipHashCheck: flags.recoverSkipHashCheck === true },
      { headers },
    ),
  );
}
