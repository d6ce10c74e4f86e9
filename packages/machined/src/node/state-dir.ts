/** The machine config inside a node's STATE directory (`/system/state/config.yaml` on Talos). */
export const STATE_CONFIG_FILE = "config.yaml";
