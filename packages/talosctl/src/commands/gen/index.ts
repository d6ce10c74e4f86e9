import { Command } from "commander";

/** `talosctl gen`: offline generators for configs, secrets and certificates. One file per subcommand. */
export function registerGen(root: Command): void {
  const gen = new Command("gen").description("Generate CAs, certificates, and private keys");
  root.addCommand(gen);
}
