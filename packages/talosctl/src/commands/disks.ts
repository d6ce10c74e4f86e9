import { createClient } from "@connectrpc/connect";
import { Disk_DiskType, type Disks, StorageService } from "@talos/machinery/api";
import { Command } from "commander";
import { enumName, humanizeBytes } from "../output/go-format.ts";
import { insecureConnections } from "../transport/insecure-transport.ts";
import { callNodes, finishWithNodeErrors, type NodeError, requireNodes } from "../transport/node-replies.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { formatTable } from "../util/tab-writer.ts";

const LABELS = [
  "DEV",
  "MODEL",
  "SERIAL",
  "TYPE",
  "UUID",
  "WWID",
  "MODALIAS",
  "NAME",
  "SIZE",
  "BUS_PATH",
  "SUBSYSTEM",
  "READ_ONLY",
  "SYSTEM_DISK",
];

function placeholder(s: string): string {
  return s === "" ? "-" : s;
}

/**
 * The disks table: `NODE DEV MODEL ... SYSTEM_DISK` (NODE only when replies name their node), empty
 * strings shown as `-`, flags as `*`; the header comes with the first disk.
 */
export function disksTable(messages: readonly Disks[]): string {
  const rows: string[][] = [];
  let node = "";
  messages.forEach((msg, i) => {
    if ((msg.metadata?.hostname ?? "") !== "") node = msg.metadata?.hostname ?? "";
    msg.disks.forEach((d, j) => {
      if (i === 0 && j === 0) rows.push(node !== "" ? ["NODE", ...LABELS] : LABELS);
      const row = [
        placeholder(d.deviceName),
        placeholder(d.model),
        placeholder(d.serial),
        enumName(Disk_DiskType, d.type),
        placeholder(d.uuid),
        placeholder(d.wwid),
        placeholder(d.modalias),
        placeholder(d.name),
        humanizeBytes(d.size),
        placeholder(d.busPath),
        placeholder(d.subsystem),
        d.readonly ? "*" : "",
        d.systemDisk ? "*" : "",
      ];
      rows.push(node !== "" ? [node, ...row] : row);
    });
  });
  return formatTable(rows);
}

/** `talosctl disks [-i]`: the block devices of the nodes (StorageService/Disks). */
export function registerDisks(root: Command): void {
  root.addCommand(
    new Command("disks")
      .description("Get the list of disks from /sys/block on the machine")
      .option("-i, --insecure", "get disks using the insecure (encrypted with no auth) maintenance service")
      .action(async (flags: { insecure?: boolean }, cmd: Command) => {
        const ok: Disks[] = [];
        const errors: NodeError[] = [];
        if (flags.insecure === true) {
          for (const conn of insecureConnections(cmd)) {
            const client = createClient(StorageService, conn.transport);
            const r = await callNodes("error getting disks", () =>
              client.disks({}, { headers: new Headers(conn.baseHeaders) }),
            );
            ok.push(...r.ok);
            errors.push(...r.errors);
          }
        } else {
          const conn = await connect(cmd);
          const nodes = requireNodes(conn);
          const client = createClient(StorageService, conn.transport);
          const r = await callNodes("error getting disks", () =>
            client.disks({}, { headers: nodesHeaders(conn, nodes) }),
          );
          ok.push(...r.ok);
          errors.push(...r.errors);
        }
        process.stdout.write(disksTable(ok));
        finishWithNodeErrors(errors);
      }),
  );
}
