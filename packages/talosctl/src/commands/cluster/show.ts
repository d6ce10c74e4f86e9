import { connectEngine, createDockerProvisioner } from "@talos/provision";
import { Command } from "commander";
import { CliError } from "../../cli/errors.ts";
import { formatTable } from "../../util/tab-writer.ts";

/** `talosctl cluster show`: the cluster's network and nodes. */
export function registerClusterShow(cluster: Command): void {
  cluster.addCommand(
    new Command("show")
      .description("Shows info about a local provisioned kubernetes cluster")
      .action(async (_f: unknown, cmd: Command) => {
        const name = cmd.optsWithGlobals<{ name: string }>().name;
        const engine = await connectEngine().catch((e: unknown) => {
          throw new CliError((e as Error).message);
        });
        const info = await createDockerProvisioner(engine).reflect(name);
        if (info === undefined) throw new CliError(`cluster "${name}" does not exist`);
        process.stdout.write(
          `PROVISIONER       docker\nNAME              ${info.name}\nNETWORK NAME      ${info.network.name}\n` +
            `NETWORK CIDR      ${info.network.cidr}\nNETWORK GATEWAY   ${info.network.gateway}\nNETWORK MTU       ${info.network.mtu}\n` +
            (info.discoveryService !== undefined
              ? `DISCOVERY SERVICE ${info.discoveryService.ip} (${info.discoveryService.state})\n`
              : "") +
            "\nNODES:\n\n" +
            formatTable([["NAME", "TYPE", "IP", "STATE"], ...info.nodes.map((n) => [n.name, n.type, n.ip, n.state])]),
        );
      }),
  );
}
