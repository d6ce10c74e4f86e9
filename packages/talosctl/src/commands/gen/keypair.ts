import {
  canonicalIPAddress,
  createCertificateAuthority,
  DEFAULT_CERTIFICATE_LIFETIME_MS,
} from "@talos/machinery/secrets";
import { Command, Option } from "commander";
import { CliError } from "../../cli/errors.ts";
import { writeFilesAtomic } from "../../util/files.ts";

interface GenKeypairFlags {
  readonly organization: string;
  readonly ip?: string;
}

/**
 * `talosctl gen keypair`: a self-signed Ed25519 certificate (a CA, as Talos makes it) for the Organization
 * and optional IP SAN, valid 24 hours, written as `<organization>.crt` and `<organization>.key`, 0600.
 */
export function registerGenKeypair(gen: Command): void {
  gen.addCommand(
    new Command("keypair")
      .description("Generates an X.509 Ed25519 key pair")
      .option("--ip <ip>", "generate the certificate for this IP address")
      .addOption(
        new Option(
          "--organization <organization>",
          "X.509 distinguished name for the Organization",
        ).makeOptionMandatory(),
      )
      .action(async (flags: GenKeypairFlags, cmd: Command) => {
        const force = cmd.optsWithGlobals<{ force?: boolean }>().force === true;
        const ips: string[] = [];
        if (flags.ip !== undefined && flags.ip !== "") {
          if (canonicalIPAddress(flags.ip) === undefined) throw new CliError(`invalid IP: ${flags.ip}`);
          ips.push(flags.ip);
        }
        const ca = await createCertificateAuthority({
          organization: [flags.organization],
          ipAddresses: ips,
          lifetimeMs: DEFAULT_CERTIFICATE_LIFETIME_MS,
        });
        await writeFilesAtomic([
          { path: `${flags.organization}.crt`, data: ca.crt, mode: 0o600, overwrite: force },
          { path: `${flags.organization}.key`, data: ca.key, mode: 0o600, overwrite: force },
        ]);
      }),
  );
}
