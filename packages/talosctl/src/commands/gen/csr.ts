import { extname } from "node:path";
import {
  ROLE_ADMIN,
  ROLE_ETCD_BACKUP,
  ROLE_IMPERSONATOR,
  ROLE_OPERATOR,
  ROLE_READER,
} from "@talos/machinery/constants";
import {
  canonicalIPAddress,
  createCertificateRequest,
  decodePrivateKeyPem,
  isPkiError,
  type PrivateKey,
} from "@talos/machinery/secrets";
import { Command, Option } from "commander";
import { CliError } from "../../cli/errors.ts";
import { collectList } from "../../cli/program.ts";
import { readUserFile, writeFileAtomic } from "../../util/files.ts";

const KNOWN_ROLES: readonly string[] = [ROLE_ADMIN, ROLE_OPERATOR, ROLE_READER, ROLE_ETCD_BACKUP, ROLE_IMPERSONATOR];

interface GenCsrFlags {
  readonly key: string;
  readonly ip: string;
  readonly roles?: string[];
}

/**
 * `talosctl gen csr`: a CSR for an existing private key with the roles as Organization and the IP as SAN,
 * written next to the key with the extension replaced by `.csr` (`admin.key` → `admin.csr`), 0600.
 */
export function registerGenCsr(gen: Command): void {
  gen.addCommand(
    new Command("csr")
      .description("Generates a CSR using an Ed25519 private key")
      .addOption(new Option("--ip <ip>", "generate the certificate for this IP address").makeOptionMandatory())
      .addOption(new Option("--key <path>", "path to the PEM encoded EC or RSA PRIVATE KEY").makeOptionMandatory())
      .option("--roles <roles>", `roles (default [${ROLE_ADMIN}])`, collectList)
      .action(async (flags: GenCsrFlags, cmd: Command) => {
        const force = cmd.optsWithGlobals<{ force?: boolean }>().force === true;
        const key = loadKey(await readUserFile(flags.key, "--key"), flags.key);
        if (canonicalIPAddress(flags.ip) === undefined) throw new CliError(`invalid IP: ${flags.ip}`);
        const roles = [...new Set((flags.roles ?? [ROLE_ADMIN]).filter((r) => r !== ""))].sort();
        const unknown = roles.filter((r) => !KNOWN_ROLES.includes(r));
        if (unknown.length > 0) throw new CliError(`unknown roles: ${unknown.join(", ")}`);
        const csr = await createCertificateRequest(key, { organization: roles, ipAddresses: [flags.ip] });
        const out = flags.key.slice(0, flags.key.length - extname(flags.key).length) + ".csr";
        await writeFileAtomic(out, csr, { mode: 0o600, overwrite: force });
      }),
  );
}

function loadKey(pem: string, path: string): PrivateKey {
  try {
    return decodePrivateKeyPem(pem, `--key ${path}`);
  } catch (e) {
    if (isPkiError(e)) throw new CliError(e.message);
    throw e;
  }
}
