import { Command } from "commander";
import { registerClusterCreate } from "./create.ts";
import { registerClusterDestroy } from "./destroy.ts";
import { registerClusterShow } from "./show.ts";

/** `talosctl cluster`: local clusters of container nodes. `--name` is shared by every subcommand. */
export function registerCluster(root: Command): void {
  const cluster = new Command("cluster")
    .description("A collection of commands for managing local docker-based or QEMU-based clusters")
    .option("--name <name>", "the name of the cluster", "talos-default")
    .option("--provisioner <name>", "Talos cluster provisioner to use", "docker");
  registerClusterCreate(cluster);
  registerClusterDestroy(cluster);
  registerClusterShow(cluster);
  root.addCommand(cluster);
}
