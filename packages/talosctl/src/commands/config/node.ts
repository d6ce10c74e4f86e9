import { type TalosContext, withContext } from "@talos/machinery/client-config";
import { Command } from "commander";
import { commandContext, openTalosconfig, saveTalosconfig } from "../../talosconfig/index.ts";

/**
 * `talosctl config node [<node>...]` (alias `nodes`): replaces the default target nodes of the current
 * context (or of `--context`); without arguments the list is cleared.
 */
export function registerConfigNode(parent: Command): void {
  parent.addCommand(
    new Command("node")
      .alias("nodes")
      .description("Set the node(s) for the current context")
      .argument("[node...]")
      .action(async (nodes: string[], _flags: unknown, cmd: Command) => {
        const loaded = await openTalosconfig(cmd);
        const { name, context } = commandContext(loaded, cmd);
        const { nodes: _old, ...rest } = context;
        const updated: TalosContext = nodes.length > 0 ? { ...rest, nodes: nodes.map((n) => n.trim()) } : rest;
        await saveTalosconfig(loaded.location, {
          ...loaded.config,
          contexts: withContext(loaded.config.contexts, name, updated),
        });
      }),
  );
}
