import { rm } from "node:fs/promises";
import { join } from "node:path";
import { connectEngine, createDockerProvisioner } from "@talos/provision";
import { Command } from "commander";
import { CliError } from "../../cli/errors.ts";
import { clusterStateDir } from "./create.ts";

/** `talosctl cluster destroy`: removes the cluster's containers with their volumes, its network and state. */
export function registerClusterDestroy(cluster: Command): void {
  cluster.addCommand(
    new Command("destroy")
      .description("Destroys a local docker-based or firecracker-based kubernetes cluster")
      .option("-f, --force", "force deletion of cluster directory if there were errors")
      .option("--state <dir>", "directory path to store cluster state (default ~/.talos/clusters)")
      .action(async (flags: { force?: boolean; state?: string }, cmd: Command) => {
        const name = cmd.optsWithGlobals<{ name: string }>().name;
        const progress = (line: string) => process.stderr.write(`${line}\n`);
        const engine = await connectEngine({ log: progress }).catch((e: unknown) => {
          throw new CliError((e as Error).message);
        });
        await createDockerProvisioner(engine).destroy(name, progress);
        await rm(join(clusterStateDir(flags), name), { recursive: true, force: true });
      }),
  );
}
