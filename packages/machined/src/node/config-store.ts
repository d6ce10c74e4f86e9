import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { MACHINE_CONFIG_ID, machineConfigKind } from "@talos/machinery/resources";
import { newPointer, newResource, type State } from "@talos/runtime";
import { writeFileAtomic } from "../os/write-file-atomic.ts";
import { type NodeConfig, readNodeConfig } from "./machine-config.ts";
import { STATE_CONFIG_FILE } from "./state-dir.ts";

/**
 * The node's machine config: the file in STATE (what the next boot uses) and the active one (the
 * MachineConfig resource that controllers follow). They differ while a config is staged or on trial.
 */
export class ConfigStore {
  readonly #state: State;
  readonly #path: string;
  #active: NodeConfig;

  private constructor(state: State, path: string, active: NodeConfig) {
    this.#state = state;
    this.#path = path;
    this.#active = active;
  }

  /** Loads the config from STATE and publishes it as the MachineConfig resource. */
  static async open(state: State, stateDir: string): Promise<ConfigStore> {
    const path = join(stateDir, STATE_CONFIG_FILE);
    const active = readNodeConfig(await readFile(path, "utf8"), path);
    await state.create(newResource(newPointer(machineConfigKind.kind, MACHINE_CONFIG_ID), { yaml: active.text }));
    return new ConfigStore(state, path, active);
  }

  get active(): NodeConfig {
    return this.#active;
  }

  /** The config the next boot will use. */
  async persisted(): Promise<NodeConfig> {
    return readNodeConfig(await readFile(this.#path, "utf8"), this.#path);
  }

  /** Writes the config to STATE (atomically, 0600). */
  async persist(config: NodeConfig): Promise<void> {
    await writeFileAtomic(this.#path, config.text, 0o600);
  }

  /** Makes the config active now: controllers see the new MachineConfig. */
  async activate(config: NodeConfig): Promise<void> {
    this.#active = config;
    await this.#state.modify(newPointer(machineConfigKind.kind, MACHINE_CONFIG_ID), (r) => {
      r.spec = { yaml: config.text };
    });
  }
}
