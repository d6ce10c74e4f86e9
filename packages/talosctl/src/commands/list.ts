import { createClient } from "@connectrpc/connect";
import { type FileInfo, ListRequest_Type, MachineService } from "@talos/machinery/api";
import { Command } from "commander";
import { CliError } from "../cli/errors.ts";
import { collectList } from "../cli/program.ts";
import { goFileMode, goStampLocal, goStampYearLocal, humanizeBytes } from "../output/go-format.ts";
import { endpointHost, requireNodes } from "../transport/node-replies.ts";
import { finishStream, readNodeStream } from "../transport/node-streams.ts";
import { connect, nodesHeaders } from "../transport/talos-client.ts";
import { relTime } from "../util/rel-time.ts";
import { formatTable } from "../util/tab-writer.ts";
import { parseInt32 } from "./flag-values.ts";

interface ListFlags {
  readonly long?: boolean;
  readonly recurse?: boolean;
  readonly humanize?: boolean;
  readonly depth: number;
  readonly type?: string[];
}

const SIX_MONTHS_MS = 6 * 24 * 30 * 3600 * 1000;

/** `--type` letters (`find -type` and os.FileMode designations) as request types. */
export function parseListTypes(values: readonly string[]): ListRequest_Type[] {
  const out: ListRequest_Type[] = [];
  for (const v of values) {
    for (const t of v) {
      if (t === "f") out.push(ListRequest_Type.REGULAR);
      else if (t === "d") out.push(ListRequest_Type.DIRECTORY);
      else if (t === "l" || t === "L") out.push(ListRequest_Type.SYMLINK);
      else throw new CliError(`invalid file type: ${t}`);
    }
  }
  return out;
}

/** The LASTMOD cell: `Jan _2 15:04:05` within six months, else `Jan _2 2006 15:04`; humanized: `3 days ago`. */
export function lastModified(modifiedSec: bigint, humanize: boolean, now = new Date()): string {
  const t = new Date(Number(modifiedSec) * 1000);
  if (humanize) return relTime(t, now);
  return now.getTime() - t.getTime() < SIX_MONTHS_MS ? goStampLocal(t) : goStampYearLocal(t);
}

/** One `list -l` row: NODE MODE UID GID SIZE(B) LASTMOD NAME. */
export function longRow(node: string, info: FileInfo, humanize: boolean, now = new Date()): string[] {
  const name = info.link !== "" ? `${info.relativeName} -> ${info.link}` : info.relativeName;
  const size = humanize ? humanizeBytes(info.size < 0n ? 0n : info.size) : String(info.size);
  return [
    node,
    goFileMode(info.mode),
    String(info.uid),
    String(info.gid),
    size,
    lastModified(info.modified, humanize, now),
    name,
  ];
}

/** `talosctl list [path]` (alias `ls`): a directory listing from the nodes. */
export function registerList(root: Command): void {
  root.addCommand(
    new Command("list")
      .alias("ls")
      .description("Retrieve a directory listing")
      .argument("[path]")
      .option("-d, --depth <int32>", "maximum recursion depth", parseInt32, 1)
      .option("-H, --humanize", "humanize size and time in the output")
      .option("-l, --long", "display additional file details")
      .option("-r, --recurse", "recurse into subdirectories")
      .option(
        "-t, --type <types>",
        "filter by specified types:\nf\tregular file\nd\tdirectory\nl, L\tsymbolic link",
        collectList,
      )
      .action(async (path: string | undefined, flags: ListFlags, cmd: Command) => {
        const types = parseListTypes(flags.type ?? []);
        const conn = await connect(cmd);
        const nodes = requireNodes(conn);
        const client = createClient(MachineService, conn.transport);
        const stream = client.list(
          {
            root: path ?? "/",
            recurse: flags.recurse === true,
            recursionDepth: flags.depth,
            types,
          },
          { headers: nodesHeaders(conn, nodes) },
        );
        const humanize = flags.humanize === true;
        const rows: string[][] = [];
        let multipleNodes = false;
        const errors = await readNodeStream(stream, endpointHost(conn), (info, node, multi) => {
          multipleNodes = multi;
          if (info.error !== "") {
            process.stderr.write(`${node}: error reading file ${info.name}: ${info.error}\n`);
            return;
          }
          if (flags.long === true) rows.push(longRow(node, info, humanize));
          else if (multi) rows.push([node, info.relativeName]);
          else process.stdout.write(`${info.relativeName}\n`);
        });
        if (flags.long === true) {
          process.stdout.write(formatTable([["NODE", "MODE", "UID", "GID", "SIZE(B)", "LASTMOD", "NAME"], ...rows]));
        } else if (multipleNodes) {
          process.stdout.write(formatTable([["NODE", "NAME"], ...rows]));
        }
        finishStream(errors);
      }),
  );
}
