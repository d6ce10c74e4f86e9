import { Command } from "commander";
import { registerConfigAdd } from "./add.ts";
import { registerConfigContext } from "./context.ts";
import { registerConfigContexts } from "./contexts.ts";
import { registerConfigEndpoint } from "./endpoint.ts";
import { registerConfigInfo } from "./info.ts";
import { registerConfigMerge } from "./merge.ts";
import { registerConfigNode } from "./node.ts";
import { registerConfigRemove } from "./remove.ts";

/** `talosctl config`: manage the client configuration file (talosconfig). One file per subcommand. */
export function registerConfig(root: Command): void {
  const config = new Command("config").description("Manage the client configuration file (talosconfig)");
  registerConfigEndpoint(config);
  registerConfigNode(config);
  registerConfigContext(config);
  registerConfigAdd(config);
  registerConfigRemove(config);
  registerConfigContexts(config);
  registerConfigMerge(config);
  registerConfigInfo(config);
  root.addCommand(config);
}
