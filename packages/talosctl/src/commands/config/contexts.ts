import { contextNames } from "@talos/machinery/client-config";
import { Command } from "commander";
import { openTalosconfig } from "../../talosconfig/index.ts";
import { formatTable } from "../../util/tab-writer.ts";

/** At most this many nodes are listed per context; more are cut off with `...`. */
const MAX_NODES = 3;

/**
 * `talosctl config contexts` (alias `get-contexts`): lists the contexts sorted by name in a
 * `CURRENT NAME ENDPOINTS NODES` table, the current one marked with `*`.
 */
export function registerConfigContexts(parent: Command): void {
  parent.addCommand(
    new Command("contexts")
      .alias("get-contexts")
      .description("List defined contexts")
      .action(async (_flags: unknown, cmd: Command) => {
        const { config } = await openTalosconfig(cmd);
        const rows = [["CURRENT", "NAME", "ENDPOINTS", "NODES"]];
        for (const name of contextNames(config)) {
          const context = config.contexts[name];
          if (context === undefined) continue;
          const nodes = context.nodes ?? [];
          const nodeList = nodes.length > MAX_NODES ? `${nodes.slice(0, MAX_NODES).join(",")}...` : nodes.join(",");
          rows.push([name === config.context ? "*" : "", name, context.endpoints.join(","), nodeList]);
        }
        process.stdout.write(formatTable(rows, 3));
      }),
  );
}
