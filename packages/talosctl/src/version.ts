/** The Talos release this talosctl is compatible with (config contract, defaults, API). */
export const TALOSCTL_VERSION = "v1.6.7";
