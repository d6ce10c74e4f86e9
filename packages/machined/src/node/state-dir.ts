/** The machine config inside a node's STATE directory (`/system/state/config.yaml` on Talos). */
export const STATE_CONFIG_FILE = "config.yaml";

/** Whether STATE holds a machine config (else the node boots into maintenance mode). */
export async function hasStateConfig(stateDir: string): Promise<boolean> {
  const { access } = await import("node:fs/promises");
  const { join } = await import("node:path");
  return access(join(stateDir, STATE_CONFIG_FILE)).then(
    () => true,
    () => false,
  );
}
