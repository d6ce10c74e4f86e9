// `talosctl cluster create`: a local cluster of container nodes (Talos's docker provisioner): configs,
// network and containers, the talosconfig merged, the first control plane bootstrapped, then waiting until
// the cluster is healthy, with progress on stderr.
import { mkdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { encodeTalosConfig, formatRename, generateTalosConfig, mergeTalosConfig } from "@talos/machinery/client-config";
import {
  applyPatches,
  encodeConfig,
  type GenerateInput,
  generateMachineConfig,
  isConfigError,
  type Patch,
} from "@talos/machinery/config";
import { DEFAULT_KUBERNETES_VERSION } from "@talos/machinery/constants";
import { generateSecretsBundle } from "@talos/machinery/secrets";
import { buildNodeImage, connectEngine, createDockerProvisioner, type NodeRequest } from "@talos/provision";
import { Command } from "commander";
import { boolOption } from "../../cli/bool-option.ts";
import { addConfigPatchOptions } from "../../cli/config-patch-options.ts";
import { CliError } from "../../cli/errors.ts";
import { globalOptions } from "../../cli/program.ts";
import { loadTalosconfig, locateTalosconfig, parseTalosconfig, saveTalosconfig } from "../../talosconfig/index.ts";
import { createTalosTransport } from "../../transport/talos-client.ts";
import { writeFilesAtomic } from "../../util/files.ts";
import { resolvePatchFlags } from "../../util/patches.ts";
import { formatTable } from "../../util/tab-writer.ts";
import { parseGoDuration } from "../apply-config.ts";
import { checkoutRoot } from "./checkout.ts";
import { DISCOVERY_SERVICE_PORT, discoveryServiceAddress, gatewayOf, nodeAddress, parseCidr } from "./network.ts";
import { bootstrapWhenReady, waitForHealthy } from "./wait.ts";

interface CreateFlags {
  readonly controlplanes: string;
  readonly workers: string;
  readonly cidr: string;
  readonly mtu: string;
  readonly image?: string;
  readonly kubernetesVersion: string;
  readonly configPatch: string[];
  readonly configPatchControlPlane: string[];
  readonly configPatchWorker: string[];
  readonly wait: boolean;
  readonly waitTimeout: string;
  readonly skipInjectingConfig?: boolean;
  readonly inputDir?: string;
  readonly cpus: string;
  readonly memory: string;
  readonly state?: string;
  readonly withClusterDiscovery: boolean;
}

export function clusterStateDir(flags: { state?: string }): string {
  return flags.state ?? join(homedir(), ".talos", "clusters");
}

export function registerClusterCreate(cluster: Command): void {
  cluster.addCommand(
    addConfigPatchOptions(new Command("create"))
      .description("Creates a local docker-based or QEMU-based kubernetes cluster")
      .option("--controlplanes <n>", "the number of controlplanes to create", "1")
      .option("--workers <n>", "the number of workers to create", "1")
      .option(
        "--cidr <cidr>",
        "CIDR of the cluster network (IPv4, ULA network for IPv6 is derived in automated way)",
        "10.5.0.0/24",
      )
      .option("--mtu <mtu>", "MTU of the cluster network", "1500")
      .option("--image <image>", "the image to use (default: built from this checkout)")
      .option("--kubernetes-version <version>", "desired kubernetes version to run", DEFAULT_KUBERNETES_VERSION)
      .addOption(boolOption("--wait", "wait for the cluster to be ready before returning", true))
      .option("--wait-timeout <duration>", "timeout to wait for the cluster to be ready", "20m")
      .option(
        "--skip-injecting-config",
        "skip injecting config from embedded metadata server, write config files to current directory",
      )
      .option("--input-dir <dir>", "location of pre-generated config files")
      .option("--cpus <n>", "the share of CPUs as fraction (each control plane/VM)", "2.0")
      .option("--memory <mb>", "the limit on memory usage in MB (each control plane/VM)", "2048")
      .option("--state <dir>", "directory path to store cluster state (default ~/.talos/clusters)")
      .addOption(boolOption("--with-cluster-discovery", "enable cluster discovery", true))
      .action(async (flags: CreateFlags, cmd: Command) => {
        await createCluster(flags, cmd);
      }),
  );
}

function count(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`${flag}: expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

async function createCluster(flags: CreateFlags, cmd: Command): Promise<void> {
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const { name, provisioner: provisionerName } = cmd.optsWithGlobals<{ name: string; provisioner: string }>();
  if (provisionerName !== "docker") {
    throw new CliError(
      `--provisioner: ${JSON.stringify(provisionerName)} is not available yet, use "docker" (containers)`,
    );
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) {
    throw new CliError(
      `--name: ${JSON.stringify(name)} is not a valid cluster name (lowercase letters, digits and dashes)`,
    );
  }
  const controlPlanes = count(flags.controlplanes, "--controlplanes", 1);
  const workers = count(flags.workers, "--workers", 0);
  const net = parseCidr(flags.cidr);
  const waitMs = parseGoDuration(flags.waitTimeout);
  const cpus = Number(flags.cpus);
  const memoryMb = Number(flags.memory);
  if (!(cpus > 0)) throw new CliError(`--cpus: expected a positive number, got ${JSON.stringify(flags.cpus)}`);
  if (!(memoryMb > 0))
    throw new CliError(`--memory: expected a positive number of MB, got ${JSON.stringify(flags.memory)}`);
  const patches = {
    all: await resolvePatchFlags(flags.configPatch, "--config-patch"),
    controlplane: await resolvePatchFlags(flags.configPatchControlPlane, "--config-patch-control-plane"),
    worker: await resolvePatchFlags(flags.configPatchWorker, "--config-patch-worker"),
  };

  const engine = await connectEngine({ log: progress }).catch((e: unknown) => {
    throw new CliError((e as Error).message);
  });
  const provisioner = createDockerProvisioner(engine);
  if ((await provisioner.reflect(name)) !== undefined) {
    throw new CliError(
      `cluster "${name}" already exists: destroy it first with "talosctl cluster destroy --name ${name}"`,
    );
  }

  const cpIps = Array.from({ length: controlPlanes }, (_, i) => nodeAddress(net, i));
  const workerIps = Array.from({ length: workers }, (_, i) => nodeAddress(net, controlPlanes + i));
  // The cluster's own discovery service (offline) sits at the last address of the network; generated
  // configs point at it, and --config-patch may still point them elsewhere.
  const discoveryService = flags.withClusterDiscovery
    ? { ip: discoveryServiceAddress(net), port: DISCOVERY_SERVICE_PORT }
    : undefined;
  if (discoveryService !== undefined && [...cpIps, ...workerIps].includes(discoveryService.ip)) {
    throw new CliError(
      `--cidr ${net.cidr} is too small for ${controlPlanes + workers} nodes and the discovery service`,
    );
  }
  const discoveryPatch = await resolvePatchFlags(
    [
      JSON.stringify({
        cluster: {
          discovery:
            discoveryService !== undefined
              ? {
                  enabled: true,
                  registries: { service: { endpoint: `http://${discoveryService.ip}:${discoveryService.port}/` } },
                }
              : { enabled: false },
        },
      }),
    ],
    "--with-cluster-discovery",
  );
  const configs = await clusterConfigs(
    flags,
    name,
    cpIps,
    { ...patches, all: [...discoveryPatch, ...patches.all] },
    progress,
  );

  let image = flags.image;
  if (image === undefined) {
    const root = checkoutRoot();
    if (root === undefined)
      throw new CliError("--image: no node image given and this talosctl is not running from a talos-ts checkout");
    progress("building the node image from this checkout");
    const socketPath = engine.socketPath;
    image = (
      await buildNodeImage({
        repoRoot: root,
        ...(socketPath !== undefined ? { engine: { socketPath } } : {}),
        log: progress,
      })
    ).tag;
  }

  const stateDir = join(clusterStateDir(flags), name);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFilesAtomic([
    ...(configs.controlplane !== undefined
      ? [{ path: join(stateDir, "controlplane.yaml"), data: configs.controlplane, mode: 0o600, overwrite: true }]
      : []),
    ...(configs.worker !== undefined
      ? [{ path: join(stateDir, "worker.yaml"), data: configs.worker, mode: 0o600, overwrite: true }]
      : []),
    { path: join(stateDir, "talosconfig"), data: configs.talosconfig, mode: 0o600, overwrite: true },
  ]);

  const inject = flags.skipInjectingConfig !== true;
  const nodes: NodeRequest[] = [
    ...cpIps.map((ip, i) => ({
      name: `${name}-controlplane-${i + 1}`,
      type: "controlplane" as const,
      ip,
      ...(inject ? { config: configs.controlplane } : {}),
      memoryBytes: memoryMb * 1024 * 1024,
      nanoCpus: Math.round(cpus * 1e9),
    })),
    ...workerIps.map((ip, i) => ({
      name: `${name}-worker-${i + 1}`,
      type: "worker" as const,
      ip,
      ...(inject ? { config: configs.worker } : {}),
      memoryBytes: memoryMb * 1024 * 1024,
      nanoCpus: Math.round(cpus * 1e9),
    })),
  ];
  const info = await provisioner.create(
    {
      name,
      cidr: net.cidr,
      mtu: Number(flags.mtu),
      image,
      nodes,
      ...(discoveryService !== undefined ? { discoveryService } : {}),
    },
    progress,
  );

  await mergeIntoTalosconfig(cmd, configs.talosconfig, progress);

  if (inject) {
    const creds = talosconfigCredentials(configs.talosconfig, name);
    const transport = createTalosTransport(cpIps, creds);
    const deadline = Date.now() + waitMs;
    progress(`bootstrapping cluster (node ${cpIps[0]})`);
    await bootstrapWhenReady(transport, cpIps[0] ?? "", deadline).catch((e: unknown) => {
      throw new CliError(`bootstrap failed: ${(e as Error).message}`);
    });
    if (flags.wait) {
      await waitForHealthy(transport, { controlPlanes: cpIps, workers: workerIps }, deadline, progress).catch(
        (e: unknown) => {
          throw new CliError((e as Error).message);
        },
      );
    }
  } else {
    progress(
      `nodes wait in maintenance mode: apply configs with "talosctl apply-config --insecure -n <IP> --file <config>" (generated in ${stateDir})`,
    );
  }

  process.stdout.write(
    `PROVISIONER       docker\nNAME              ${name}\nNETWORK NAME      ${info.network.name}\n` +
      `NETWORK CIDR      ${info.network.cidr}\nNETWORK GATEWAY   ${gatewayOf(net)}\nNETWORK MTU       ${info.network.mtu}\n\nNODES:\n\n` +
      formatTable([
        ["NAME", "TYPE", "IP", "CPU", "RAM", "DISK"],
        ...info.nodes.map((n) => [n.name, n.type, n.ip, cpus.toFixed(2), `${(memoryMb / 1024).toFixed(1)} GB`, "-"]),
      ]),
  );
}

interface ClusterConfigs {
  readonly controlplane: string | undefined;
  readonly worker: string | undefined;
  readonly talosconfig: string;
}

async function clusterConfigs(
  flags: CreateFlags,
  name: string,
  cpIps: readonly string[],
  patches: { all: Patch[]; controlplane: Patch[]; worker: Patch[] },
  progress: (line: string) => void,
): Promise<ClusterConfigs> {
  if (flags.inputDir !== undefined) {
    const read = (f: string) => readFile(join(flags.inputDir ?? "", f), "utf8").catch(() => undefined);
    const talosconfig = await read("talosconfig");
    if (talosconfig === undefined) throw new CliError(`--input-dir: ${flags.inputDir} has no talosconfig`);
    return { controlplane: await read("controlplane.yaml"), worker: await read("worker.yaml"), talosconfig };
  }
  progress("generating PKI and tokens");
  const secrets = await generateSecretsBundle({});
  const input: GenerateInput = {
    clusterName: name,
    endpoint: `https://${cpIps[0]}:6443`,
    secrets,
    kubernetesVersion: flags.kubernetesVersion,
    installDisk: "",
    installImage: "",
  };
  const render = (type: "controlplane" | "worker", extra: Patch[]) => {
    try {
      return encodeConfig(applyPatches(generateMachineConfig(type, input), [...patches.all, ...extra]), {
        comments: "none",
      });
    } catch (e) {
      if (isConfigError(e)) throw new CliError(e.message);
      throw e;
    }
  };
  const talosconfig = await generateTalosConfig({ contextName: name, osCA: secrets.certs.os, endpoints: cpIps });
  return {
    controlplane: render("controlplane", patches.controlplane),
    worker: render("worker", patches.worker),
    talosconfig: encodeTalosConfig(talosconfig),
  };
}

function talosconfigCredentials(text: string, name: string) {
  const config = parseTalosconfig(text, "cluster talosconfig");
  const context = config.contexts[config.context ?? name] ?? Object.values(config.contexts)[0];
  const pem = (b64: string | undefined) => Buffer.from(b64 ?? "", "base64").toString("utf8");
  return { ca: pem(context?.ca), cert: pem(context?.crt), key: pem(context?.key) };
}

/** Adds the cluster's context to the user's talosconfig (renamed on a clash) and makes it current. */
async function mergeIntoTalosconfig(cmd: Command, text: string, progress: (line: string) => void): Promise<void> {
  const location = await locateTalosconfig({ flag: globalOptions(cmd).talosconfig });
  const loaded = await loadTalosconfig(location);
  const { config, renames } = mergeTalosConfig(loaded.config, parseTalosconfig(text, "cluster talosconfig"));
  for (const r of renames) progress(`renamed talosconfig context ${formatRename(r)}`);
  await saveTalosconfig(loaded.location, config);
  progress(`merging talosconfig into ${loaded.location.path}`);
}
