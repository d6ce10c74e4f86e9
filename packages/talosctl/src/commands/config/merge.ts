import { formatRename, mergeTalosConfig } from "@talos/machinery/client-config";
import { Command } from "commander";
import { openTalosconfig, parseTalosconfig, saveTalosconfig } from "../../talosconfig/index.ts";
import { readUserFile } from "../../util/files.ts";

/**
 * `talosctl config merge <from>`: adds every context of another talosconfig. Clashing names are renamed
 * `<name>-1`, `<name>-2`, … and each rename is reported on stderr; the merged file's current context
 * becomes the current one.
 */
export function registerConfigMerge(parent: Command): void {
  parent.addCommand(
    new Command("merge")
      .description("Merge additional contexts from another client configuration file")
      .addHelpText("after", "\nContexts with the same name are renamed while merging configs.")
      .argument("<from>")
      .action(async (from: string, _flags: unknown, cmd: Command) => {
        const loaded = await openTalosconfig(cmd);
        const other = parseTalosconfig(await readUserFile(from, "error reading config"), from);
        const { config, renames } = mergeTalosConfig(loaded.config, other);
        for (const rename of renames) process.stderr.write(`renamed talosconfig context ${formatRename(rename)}\n`);
        await saveTalosconfig(loaded.location, config);
      }),
  );
}
