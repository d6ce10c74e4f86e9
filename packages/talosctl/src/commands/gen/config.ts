import { join } from "node:path";
import { encodeTalosConfig, generateTalosConfig } from "@talos/machinery/client-config";
import {
  applyPatches,
  encodeConfig,
  type GeneratedMachineType,
  type GenerateInput,
  type GenerateSecrets,
  generateMachineConfig,
  isConfigError,
  type MachineConfig,
  type Patch,
  parseVersionContract,
  type VersionContract,
  validateClusterEndpoint,
} from "@talos/machinery/config";
import {
  DEFAULT_DNS_DOMAIN,
  DEFAULT_INSTALL_DISK,
  DEFAULT_INSTALLER_IMAGE,
  DEFAULT_KUBERNETES_VERSION,
} from "@talos/machinery/constants";
import { decodeSecretsBundle, generateSecretsBundle, isPkiError } from "@talos/machinery/secrets";
import { Command, Option } from "commander";
import { boolOption } from "../../cli/bool-option.ts";
import { addConfigPatchOptions } from "../../cli/config-patch-options.ts";
import { CliError } from "../../cli/errors.ts";
import { collectList } from "../../cli/program.ts";
import { type FileToWrite, readUserFile, writeFilesAtomic } from "../../util/files.ts";
import { resolvePatchFlags } from "../../util/patches.ts";

const OUTPUT_TYPES = ["controlplane", "worker", "talosconfig"] as const;
type OutputType = (typeof OUTPUT_TYPES)[number];
const FILE_NAMES: Record<OutputType, string> = {
  controlplane: "controlplane.yaml",
  worker: "worker.yaml",
  talosconfig: "talosconfig",
};
const STDOUT = "-";

interface GenConfigFlags {
  readonly additionalSans: string[];
  readonly configPatch: string[];
  readonly configPatchControlPlane: string[];
  readonly configPatchWorker: string[];
  readonly dnsDomain: string;
  readonly installDisk: string;
  readonly installImage: string;
  readonly kubernetesVersion: string;
  readonly output?: string;
  readonly outputTypes: string[];
  readonly persist: boolean;
  readonly registryMirror: string[];
  readonly talosVersion?: string;
  readonly version: string;
  readonly withClusterDiscovery: boolean;
  readonly withDocs: boolean;
  readonly withExamples: boolean;
  readonly withKubespan: boolean;
  readonly withSecrets?: string;
}

/**
 * `talosctl gen config <cluster name> <cluster endpoint>`: generates controlplane.yaml, worker.yaml and a
 * talosconfig from fresh or given secrets, with Talos's defaults, patched by the `--config-patch*` flags.
 * Every file is produced in memory first, then all are written atomically, or none when one exists
 * already and `--force` is not given.
 */
export function registerGenConfig(gen: Command): void {
  gen.addCommand(
    addConfigPatchOptions(new Command("config"))
      .description("Generates a set of configuration files for Talos cluster")
      .argument("<cluster name>")
      .argument("<cluster endpoint>", "the Kubernetes API endpoint, e.g. https://10.5.0.2:6443")
      .option("--additional-sans <sans>", "additional Subject-Alt-Names for the APIServer certificate", collectList, [])
      .option("--dns-domain <domain>", "the dns domain to use for cluster", DEFAULT_DNS_DOMAIN)
      .option("--install-disk <disk>", "the disk to install to", DEFAULT_INSTALL_DISK)
      .option("--install-image <image>", "the image used to perform an installation", DEFAULT_INSTALLER_IMAGE)
      .option("--kubernetes-version <version>", "desired kubernetes version to run", DEFAULT_KUBERNETES_VERSION)
      .option(
        "-o, --output <path>",
        "destination to output generated files. when multiple output types are specified, it must be a " +
          'directory. for a single output type, it must either be a file path, or "-" for stdout',
      )
      .option("-t, --output-types <types>", "types of outputs to be generated", collectList)
      .addOption(boolOption("-p, --persist", "the desired persist value for configs", true))
      .option(
        "--registry-mirror <host=url>",
        "list of registry mirrors to use in format: <registry host>=<mirror URL>",
        collectList,
        [],
      )
      .option("--talos-version <version>", "the desired Talos version to generate config for (e.g. v0.8)")
      .addOption(
        new Option("--version <version>", "the desired machine config version to generate").default("v1alpha1"),
      )
      .addOption(boolOption("--with-cluster-discovery", "enable cluster discovery feature", true))
      .addOption(boolOption("--with-docs", "renders all machine configs adding the documentation for each field", true))
      .addOption(boolOption("--with-examples", "renders all machine configs with the commented examples", true))
      .addOption(boolOption("--with-kubespan", "enable KubeSpan feature", false))
      .option("--with-secrets <file>", "use a secrets file generated using 'gen secrets'")
      .action(async (clusterName: string, endpoint: string, flags: GenConfigFlags, cmd: Command) => {
        const force = cmd.optsWithGlobals<{ force?: boolean }>().force === true;
        await runGenConfig(clusterName, endpoint, flags, force);
      }),
  );
}

async function runGenConfig(clusterName: string, endpoint: string, flags: GenConfigFlags, force: boolean) {
  const outputTypes = parseOutputTypes(flags.outputTypes ?? [...OUTPUT_TYPES]);
  if (outputTypes.length > 1 && flags.output === STDOUT) {
    throw new CliError(`-o ${STDOUT} (stdout) can be used only with a single --output-types value`);
  }
  if (flags.version !== "v1alpha1") {
    throw new CliError(`--version: unsupported config version ${JSON.stringify(flags.version)}, expected v1alpha1`);
  }
  try {
    validateClusterEndpoint(endpoint);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const contract = flags.talosVersion !== undefined ? versionContract(flags.talosVersion) : undefined;
  const kubernetesVersion = checkKubernetesVersion(flags.kubernetesVersion);
  const registryMirrors = parseRegistryMirrors(flags.registryMirror);
  // Patches are read before anything is generated, so an unreadable patch file fails fast.
  const patches = {
    all: await resolvePatchFlags(flags.configPatch, "--config-patch"),
    controlplane: await resolvePatchFlags(flags.configPatchControlPlane, "--config-patch-control-plane"),
    worker: await resolvePatchFlags(flags.configPatchWorker, "--config-patch-worker"),
  };
  const secrets = await loadOrGenerateSecrets(flags.withSecrets, contract);

  const input: GenerateInput = {
    clusterName,
    endpoint,
    secrets,
    kubernetesVersion,
    contract,
    installDisk: flags.installDisk,
    installImage: flags.installImage,
    additionalSANs: flags.additionalSans,
    dnsDomain: flags.dnsDomain,
    persist: flags.persist,
    clusterDiscovery: flags.withClusterDiscovery,
    kubeSpan: flags.withKubespan,
    registryMirrors,
  };

  const outputs: { type: OutputType; data: string }[] = [];
  for (const type of outputTypes) {
    if (type === "talosconfig") {
      const talosconfig = await generateTalosConfig({ contextName: clusterName, osCA: secrets.certs.os });
      outputs.push({ type, data: encodeTalosConfig(talosconfig) });
    } else {
      const config = machineConfig(type, input, [...patches.all, ...patches[type]], flags.withDocs);
      const data = encodeConfig(config, { comments: flags.withDocs ? "docs" : "none", examples: flags.withExamples });
      outputs.push({ type, data });
    }
  }

  if (flags.output === STDOUT) {
    process.stdout.write(outputs[0]?.data ?? "");
    return;
  }
  const files: FileToWrite[] = outputs.map(({ type, data }) => ({
    path: outputPath(type, outputTypes.length, flags.output),
    data,
    mode: type === "talosconfig" ? 0o600 : 0o644,
    overwrite: force,
  }));
  await writeFilesAtomic(files);
  for (const f of files) process.stderr.write(`Created ${f.path}\n`);
}

function parseOutputTypes(values: readonly string[]): OutputType[] {
  if (values.length === 0) throw new CliError("--output-types: at least one output type must be specified");
  const types: OutputType[] = [];
  for (const v of values) {
    if (!(OUTPUT_TYPES as readonly string[]).includes(v)) {
      throw new CliError(
        `--output-types: invalid output type ${JSON.stringify(v)}, expected ${OUTPUT_TYPES.join(", ")}`,
      );
    }
    if (!types.includes(v as OutputType)) types.push(v as OutputType);
  }
  return types;
}

/** Several outputs go into the `-o` directory (default the current one); a single output may be a file path. */
function outputPath(type: OutputType, count: number, output: string | undefined): string {
  if (output === undefined || output === "") return FILE_NAMES[type];
  return count === 1 ? output : join(output, FILE_NAMES[type]);
}

/** `1.29.3` or `v1.29.3` (a pre-release suffix allowed); returned without the `v`. */
function checkKubernetesVersion(value: string): string {
  const version = value.trim().replace(/^v/, "");
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new CliError(
      `--kubernetes-version: invalid version ${JSON.stringify(value)}, expected a Kubernetes release such as ${DEFAULT_KUBERNETES_VERSION}`,
    );
  }
  return version;
}

function versionContract(version: string): VersionContract {
  try {
    return parseVersionContract(version);
  } catch (e) {
    throw new CliError(`--talos-version: ${(e as Error).message}`);
  }
}

/** `--registry-mirror docker.io=http://mirror:5000`, repeatable; several mirrors of one host accumulate. */
function parseRegistryMirrors(values: readonly string[]): Record<string, string[]> {
  const mirrors: Record<string, string[]> = {};
  for (const spec of values) {
    const eq = spec.indexOf("=");
    const host = spec.slice(0, eq);
    const url = spec.slice(eq + 1);
    if (eq <= 0 || url === "") {
      throw new CliError(
        `--registry-mirror: invalid registry mirror spec ${JSON.stringify(spec)}, expected <registry host>=<mirror URL>`,
      );
    }
    mirrors[host] = [...(mirrors[host] ?? []), url];
  }
  return mirrors;
}

async function loadOrGenerateSecrets(path: string | undefined, contract: VersionContract | undefined) {
  if (path === undefined) {
    process.stderr.write("generating PKI and tokens\n");
    return (await generateSecretsBundle({ contract })) as GenerateSecrets;
  }
  const text = await readUserFile(path, "--with-secrets");
  try {
    return decodeSecretsBundle(text, path) as GenerateSecrets;
  } catch (e) {
    if (isConfigError(e) || isPkiError(e)) throw new CliError(`--with-secrets: ${e.message}`);
    throw e;
  }
}

function machineConfig(
  type: GeneratedMachineType,
  input: GenerateInput,
  patches: readonly Patch[],
  withDocs: boolean,
): MachineConfig {
  try {
    return applyPatches(generateMachineConfig(type, input, { withDocs }), patches);
  } catch (e) {
    if (isConfigError(e)) throw new CliError(e.message);
    throw e;
  }
}
