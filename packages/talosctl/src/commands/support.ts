import { Command, InvalidArgumentError, Option } from "commander";
import { CliError } from "../cli/errors.ts";
import { connect } from "../transport/talos-client.ts";
import { formatTable } from "../util/tab-writer.ts";
import { BundleArchive } from "./support/archive.ts";
import { CLUSTER_SOURCE, collectCluster, collectNode, type SourceResult } from "./support/collectors.ts";
import { createProgress } from "./support/progress.ts";

interface SupportFlags {
  readonly output: string;
  readonly numWorkers: number;
  readonly verbose?: boolean;
}

const DESCRIPTION = `Generated bundle contains the following debug information:

- For each node (a folder named after the node as given with --nodes):

\t- Kernel logs (dmesg.log).
\t- All Talos internal services logs and states (service-logs/<id>.log,
\t  service-logs/<id>.state), controller-runtime.log and machined.log.
\t- Talos COSI resources, one file per resource type (resources/<type>.yaml);
\t  specs of sensitive types are replaced by <REDACTED>.
\t- Processes snapshot (processes), memory usage (memory), IO counters (io),
\t  mounts list (mounts).
\t- Talos version (version).
\t- error.txt, when something could not be collected.

- For the cluster (folder cluster):

\t- Discovery members (members) and etcd members (etcd-members).
\t- kubernetes.txt: Kubernetes nodes and kube-system pods manifests are not
\t  collected, this cluster has no Kubernetes API yet.

A node that cannot be reached, or a file that cannot be collected, does not
stop the bundle: the error goes into the node's error.txt and is listed on
stderr once the bundle is written. An existing output file is replaced
(atomically, once the bundle is complete). Progress goes to stderr: a bar per
node on a terminal, a line per collected file otherwise or with --verbose.

Exit status: 0 when the bundle was written, even if some nodes or files
failed (a warning names each unreachable node); 1 when the bundle could not
be written, or when no node at all could be reached (the bundle is still
written then, holding each node's error.txt).`;

function parseWorkers(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError(`expected a positive number of workers, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** `talosctl support [-O FILE] [-w N] [-v]`: a zip of each node's logs, state and resources. */
export function registerSupport(root: Command): void {
  root.addCommand(
    new Command("support")
      .summary("Dump debug information about the cluster")
      .description(DESCRIPTION)
      .addOption(new Option("-O, --output <file>", "output file to write support archive to").default("support.zip"))
      .addOption(new Option("-w, --num-workers <int>", "number of workers per node").argParser(parseWorkers).default(1))
      .option("-v, --verbose", "verbose output: a line per collected file, with its size and time")
      .action(async (flags: SupportFlags, cmd: Command) => {
        await runSupport(cmd, flags);
      }),
  );
}

async function runSupport(cmd: Command, flags: SupportFlags): Promise<void> {
  const conn = await connect(cmd);
  const nodes = [...new Set(conn.nodes)];
  if (nodes.length === 0)
    throw new CliError("please provide at least a single node to gather the debug information from");

  let archive: BundleArchive;
  try {
    archive = await BundleArchive.create(flags.output);
  } catch (e) {
    throw new CliError(`cannot write ${flags.output}: ${(e as Error).message}`);
  }
  const progress = createProgress(process.stderr, flags.verbose === true);
  // Ctrl-C leaves no temp file behind.
  const onSignal = () => {
    progress.stop();
    void archive.abort().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  let results: SourceResult[];
  try {
    const ctx = { conn, archive, progress, workers: flags.numWorkers };
    const nodeResults = await Promise.all(nodes.map((node) => collectNode(ctx, node)));
    results = [...nodeResults, await collectCluster(ctx, nodeResults)];
    progress.stop();
    await archive.commit();
  } catch (e) {
    progress.stop();
    await archive.abort();
    throw e instanceof CliError ? e : new CliError(`writing the support bundle failed: ${(e as Error).message}`);
  } finally {
    process.removeListener("SIGINT", onSignal);
  }

  process.stderr.write(errorSummary(results));
  const down = results.filter((r) => r.source !== CLUSTER_SOURCE && !r.reachable);
  for (const r of down) {
    process.stderr.write(
      `WARNING: node ${r.source} could not be reached, its folder holds only error.txt: ${r.errors[0]?.error ?? ""}\n`,
    );
  }
  process.stderr.write(`Support bundle is written to ${flags.output}\n`);
  if (down.length === nodes.length) {
    throw new CliError(`no node could be reached (${nodes.join(", ")}), the bundle holds only the errors`);
  }
}

/** Talos's `Processed with errors:` table: SOURCE and ERROR, one row per failed file. */
function errorSummary(results: readonly SourceResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const e of r.errors) {
      const [first = "", ...rest] = (e.file !== "" ? `failed to get ${e.file}: ${e.error}` : e.error)
        .split("\n")
        .map((l) => l.trim());
      rows.push(["", r.source, first]);
      for (const line of rest) rows.push(["", "", line]);
    }
  }
  if (rows.length === 0) return "";
  return `Processed with errors:\n${formatTable([["", "SOURCE", "ERROR"], ...rows])}`;
}
