import { join } from "node:path";
import {
  decodeConfig,
  findDocument,
  isConfigError,
  parseVersionContract,
  V1ALPHA1_KIND,
  type VersionContract,
} from "@talos/machinery/config";
import {
  encodeSecretsBundle,
  generateSecretsBundle,
  isPkiError,
  type SecretsBundle,
  secretsBundleFromConfig,
  TOKEN_PATTERN,
} from "@talos/machinery/secrets";
import { Command } from "commander";
import { CliError } from "../../cli/errors.ts";
import { readUserFile, writeFileAtomic } from "../../util/files.ts";

interface GenSecretsFlags {
  readonly outputFile: string;
  readonly talosVersion?: string;
  readonly fromControlplaneConfig?: string;
  readonly fromKubernetesPki?: string;
  readonly kubernetesBootstrapToken?: string;
}

/**
 * `talosctl gen secrets`: writes a secrets bundle (default `secrets.yaml`, mode 0600, atomically, refusing
 * to replace an existing file without `--force`), freshly generated for `--talos-version`, taken from a
 * control-plane config (`--from-controlplane-config`), or built around an existing Kubernetes PKI
 * directory (`--from-kubernetes-pki`, with `--kubernetes-bootstrap-token`).
 */
export function registerGenSecrets(gen: Command): void {
  gen.addCommand(
    new Command("secrets")
      .description("Generates a secrets bundle file which can later be used to generate a config")
      .option("--from-controlplane-config <path>", "use the provided controlplane Talos machine configuration as input")
      .option("-p, --from-kubernetes-pki <dir>", "use a Kubernetes PKI directory (e.g. /etc/kubernetes/pki) as input")
      .option("-t, --kubernetes-bootstrap-token <token>", "use the provided bootstrap token as input")
      .option("-o, --output-file <path>", "path of the output file", "secrets.yaml")
      .option(
        "--talos-version <version>",
        "the desired Talos version to generate secrets bundle for (backwards compatibility, e.g. v0.8)",
      )
      .action(async (flags: GenSecretsFlags, cmd: Command) => {
        const force = cmd.optsWithGlobals<{ force?: boolean }>().force === true;
        const bundle = await buildBundle(flags);
        await writeFileAtomic(flags.outputFile, encodeSecretsBundle(bundle), { mode: 0o600, overwrite: force });
      }),
  );
}

async function buildBundle(flags: GenSecretsFlags): Promise<SecretsBundle> {
  if (flags.fromControlplaneConfig !== undefined && flags.fromKubernetesPki !== undefined) {
    throw new CliError("--from-controlplane-config and --from-kubernetes-pki cannot be used together");
  }
  const contract = flags.talosVersion !== undefined ? versionContract(flags.talosVersion) : undefined;
  if (flags.fromControlplaneConfig !== undefined) return fromControlplaneConfig(flags.fromControlplaneConfig);
  if (flags.fromKubernetesPki !== undefined) {
    return fromKubernetesPki(flags.fromKubernetesPki, flags.kubernetesBootstrapToken, contract);
  }
  return generateSecretsBundle({ contract });
}

function versionContract(version: string): VersionContract {
  try {
    return parseVersionContract(version);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

async function fromControlplaneConfig(path: string): Promise<SecretsBundle> {
  const text = await readUserFile(path, "--from-controlplane-config");
  try {
    const doc = findDocument(decodeConfig(text, path), V1ALPHA1_KIND);
    if (doc === undefined) {
      throw new CliError(`--from-controlplane-config: ${path} has no v1alpha1 machine config document`);
    }
    return secretsBundleFromConfig(doc.value, path);
  } catch (e) {
    if (isConfigError(e)) throw new CliError(`--from-controlplane-config: ${e.message}`);
    throw e;
  }
}

/** Reads the kubeadm layout: `ca.*`, `etcd/ca.*`, `front-proxy-ca.*`, `sa.key`. */
async function fromKubernetesPki(
  dir: string,
  token: string | undefined,
  contract: VersionContract | undefined,
): Promise<SecretsBundle> {
  const read = (...parts: string[]) => readUserFile(join(dir, ...parts), "--from-kubernetes-pki");
  const pair = async (crt: string[], key: string[]) => ({ crt: await read(...crt), key: await read(...key) });
  if (token !== undefined && token !== "" && !TOKEN_PATTERN.test(token)) {
    throw new CliError(
      `--kubernetes-bootstrap-token: ${JSON.stringify(token)} is not a bootstrap token ([0-9a-z]{6}.[0-9a-z]{16})`,
    );
  }
  const existing = {
    k8s: await pair(["ca.crt"], ["ca.key"]),
    etcd: await pair(["etcd", "ca.crt"], ["etcd", "ca.key"]),
    k8saggregator: await pair(["front-proxy-ca.crt"], ["front-proxy-ca.key"]),
    serviceAccountKey: await read("sa.key"),
    ...(token !== undefined && token !== "" ? { bootstrapToken: token } : {}),
  };
  try {
    return await generateSecretsBundle({ contract, existing });
  } catch (e) {
    if (isPkiError(e)) throw new CliError(`--from-kubernetes-pki ${dir}: ${e.message}`);
    throw e;
  }
}
