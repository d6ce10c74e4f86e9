import { Command } from "commander";
import { registerMachineConfigPatch } from "./patch.ts";

/** `talosctl machineconfig` (alias `mc`): offline machine config commands. One file per subcommand. */
export function registerMachineConfig(root: Command): void {
  const mc = new Command("machineconfig").alias("mc").description("Machine config related commands");
  registerMachineConfigPatch(mc);
  root.addCommand(mc);
}
