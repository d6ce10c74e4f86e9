import { isPkiError, loadCertificateAuthority, signCertificateRequest } from "@talos/machinery/secrets";
import { Command, Option } from "commander";
import { CliError } from "../../cli/errors.ts";
import { fileExists, readUserFile, writeFileAtomic } from "../../util/files.ts";
import { parseHours } from "./ca.ts";

interface GenCrtFlags {
  readonly name: string;
  readonly ca: string;
  readonly csr: string;
  readonly hours: number;
}

/**
 * `talosctl gen crt`: signs a CSR with a CA given by basename (`--ca os` reads `os.crt` and `os.key`, as
 * Talos does; a path ending in `.crt` also works) into `<name>.crt`, 0600. Like Talos, the certificate
 * gets KeyUsage DigitalSignature and ExtKeyUsage ClientAuth, and the CSR's subject and SANs.
 */
export function registerGenCrt(gen: Command): void {
  gen.addCommand(
    new Command("crt")
      .description("Generates an X.509 Ed25519 certificate")
      .addOption(new Option("--ca <path>", "path to the PEM encoded CERTIFICATE").makeOptionMandatory())
      .addOption(new Option("--csr <path>", "path to the PEM encoded CERTIFICATE REQUEST").makeOptionMandatory())
      .option("--hours <hours>", "the hours from now on which the certificate validity period ends", parseHours, 24)
      .addOption(new Option("--name <name>", "the basename of the generated file").makeOptionMandatory())
      .action(async (flags: GenCrtFlags, cmd: Command) => {
        const force = cmd.optsWithGlobals<{ force?: boolean }>().force === true;
        const base = await caBasename(flags.ca);
        const crt = await readUserFile(`${base}.crt`, "--ca");
        const key = await readUserFile(`${base}.key`, "--ca");
        const csr = await readUserFile(flags.csr, "--csr");
        let signed: string;
        try {
          const ca = loadCertificateAuthority({ crt, key }, `--ca ${base}`);
          signed = await signCertificateRequest(ca, csr, {
            lifetimeMs: flags.hours * 3600 * 1000,
            keyUsage: ["digitalSignature"],
            extKeyUsage: ["clientAuth"],
          });
        } catch (e) {
          if (!isPkiError(e)) throw e;
          // CA problems already name --ca; everything else is about the CSR.
          throw new CliError(e.what.startsWith("--ca") ? e.message : `--csr ${flags.csr}: ${e.detail}`);
        }
        await writeFileAtomic(`${flags.name}.crt`, signed, { mode: 0o600, overwrite: force });
      }),
  );
}

/** Talos appends `.crt`/`.key` to `--ca`; accept a path to the `.crt` itself when that is what exists. */
async function caBasename(ca: string): Promise<string> {
  if (ca.endsWith(".crt") && !(await fileExists(`${ca}.crt`)) && (await fileExists(ca))) return ca.slice(0, -4);
  return ca;
}
