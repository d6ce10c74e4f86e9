import { certificateSpkiHash, createCertificateAuthority } from "@talos/machinery/secrets";
import { Command, InvalidArgumentError, Option } from "commander";
import { writeFilesAtomic } from "../../util/files.ts";

interface GenCAFlags {
  readonly organization: string;
  readonly hours: number;
  readonly rsa?: boolean;
}

/** Parses a whole number of hours for `--hours` (cobra's IntVar). */
export function parseHours(value: string): number {
  if (!/^[+-]?\d+$/.test(value.trim())) throw new InvalidArgumentError("expected a whole number of hours");
  return Number(value);
}

/**
 * `talosctl gen ca`: a self-signed CA (Ed25519, or RSA-4096 with `--rsa`) written as `<organization>.crt`,
 * `<organization>.key` and `<organization>.sha256` (the `sha256:<hex>` SPKI hash), all mode 0600.
 */
export function registerGenCA(gen: Command): void {
  gen.addCommand(
    new Command("ca")
      .description("Generates a self-signed X.509 certificate authority")
      .addOption(
        new Option(
          "--organization <organization>",
          "X.509 distinguished name for the Organization",
        ).makeOptionMandatory(),
      )
      .option("--hours <hours>", "the hours from now on which the certificate validity period ends", parseHours, 87600)
      .option("--rsa", "generate in RSA format")
      .action(async (flags: GenCAFlags, cmd: Command) => {
        const force = cmd.optsWithGlobals<{ force?: boolean }>().force === true;
        const ca = await createCertificateAuthority({
          organization: [flags.organization],
          keyAlgorithm: flags.rsa === true ? "rsa" : "ed25519",
          lifetimeMs: flags.hours * 3600 * 1000,
        });
        const base = flags.organization;
        await writeFilesAtomic([
          { path: `${base}.crt`, data: ca.crt, mode: 0o600, overwrite: force },
          { path: `${base}.sha256`, data: certificateSpkiHash(ca.crt), mode: 0o600, overwrite: force },
          { path: `${base}.key`, data: ca.key, mode: 0o600, overwrite: force },
        ]);
      }),
  );
}
