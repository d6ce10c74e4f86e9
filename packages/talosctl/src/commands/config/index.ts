import { Command } from "commander";

/** `talosctl config`: manage the client configuration file (talosconfig). One file per subcommand. */
export function registerConfig(root: Command): void {
  const config = new Command("config").description("Manage the client configuration file (talosconfig)");
  root.addCommand(config);
}
