import { encodePrivateKeyPem, generatePrivateKey } from "@talos/machinery/secrets";
import { Command, Option } from "commander";
import { writeFileAtomic } from "../../util/files.ts";

/** `talosctl gen key`: an Ed25519 private key (PKCS#8, `ED25519 PRIVATE KEY`) written to `<name>.key`, 0600. */
export function registerGenKey(gen: Command): void {
  gen.addCommand(
    new Command("key")
      .description("Generates an Ed25519 private key")
      .addOption(new Option("--name <name>", "the basename of the generated file").makeOptionMandatory())
      .action(async (flags: { name: string }, cmd: Command) => {
        const force = cmd.optsWithGlobals<{ force?: boolean }>().force === true;
        const key = await generatePrivateKey("ed25519");
        await writeFileAtomic(`${flags.name}.key`, encodePrivateKeyPem(key), { mode: 0o600, overwrite: force });
      }),
  );
}
