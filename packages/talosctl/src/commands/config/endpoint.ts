import { withContext } from "@talos/machinery/client-config";
import { Command } from "commander";
import { commandContext, openTalosconfig, saveTalosconfig } from "../../talosconfig/index.ts";

/**
 * `talosctl config endpoint <endpoint>...` (alias `endpoints`): replaces the endpoints of the current context
 * (or of `--context`).
 */
export function registerConfigEndpoint(parent: Command): void {
  parent.addCommand(
    new Command("endpoint")
      .alias("endpoints")
      .description("Set the endpoint(s) for the current context")
      .argument("<endpoint...>")
      .action(async (endpoints: string[], _flags: unknown, cmd: Command) => {
        const loaded = await openTalosconfig(cmd);
        const { name, context } = commandContext(loaded, cmd);
        const updated = { ...context, endpoints: endpoints.map((e) => e.trim()) };
        await saveTalosconfig(loaded.location, {
          ...loaded.config,
          contexts: withContext(loaded.config.contexts, name, updated),
        });
      }),
  );
}
