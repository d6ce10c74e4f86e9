import { Command } from "commander";
import { CliError } from "../../cli/errors.ts";
import { openTalosconfig, saveTalosconfig, selectLoadedContext } from "../../talosconfig/index.ts";

/** `talosctl config context <context>` (alias `use-context`): makes an existing context the current one. */
export function registerConfigContext(parent: Command): void {
  parent.addCommand(
    new Command("context")
      .alias("use-context")
      .description("Set the current context")
      .argument("<context>")
      .action(async (name: string, _flags: unknown, cmd: Command) => {
        if (name === "") throw new CliError("no context specified");
        const loaded = await openTalosconfig(cmd);
        selectLoadedContext(loaded, name);
        await saveTalosconfig(loaded.location, { ...loaded.config, context: name });
      }),
  );
}
