import { Command } from "commander";
import { registerGenCA } from "./ca.ts";
import { registerGenConfig } from "./config.ts";
import { registerGenCrt } from "./crt.ts";
import { registerGenCsr } from "./csr.ts";
import { registerGenKey } from "./key.ts";
import { registerGenKeypair } from "./keypair.ts";
import { registerGenSecrets } from "./secrets.ts";

/** `talosctl gen`: offline generators for configs, secrets and certificates. One file per subcommand. */
export function registerGen(root: Command): void {
  const gen = new Command("gen").description("Generate CAs, certificates, and private keys");
  // Talos makes --force persistent on `gen`; subcommands read it with optsWithGlobals().
  gen.option("-f, --force", "will overwrite existing files");
  registerGenCA(gen);
  registerGenConfig(gen);
  registerGenCrt(gen);
  registerGenCsr(gen);
  registerGenKey(gen);
  registerGenKeypair(gen);
  registerGenSecrets(gen);
  root.addCommand(gen);
}
