/** The Talos release this talosctl is compatible with (config contract, defaults, API). */
export const TALOSCTL_VERSION = "v1.6.7";

declare const __TALOS_GIT_SHA__: string | undefined;

/** The commit the bundle was built from (set by hack/build.ts); "undefined" when run from sources. */
export const TALOSCTL_SHA: string = typeof __TALOS_GIT_SHA__ === "string" ? __TALOS_GIT_SHA__ : "undefined";
