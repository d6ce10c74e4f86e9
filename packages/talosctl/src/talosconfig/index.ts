// talosconfig file I/O for talosctl commands: where it is, reading it, writing it back.

export { type LoadedTalosconfig, loadTalosconfig, parseTalosconfig } from "./load-talosconfig.ts";
export {
  defaultTalosconfigPaths,
  homeTalosconfig,
  type LocateOptions,
  locateTalosconfig,
  SERVICE_ACCOUNT_TALOSCONFIG,
  TALOSCONFIG_ENV,
  type TalosconfigLocation,
} from "./locate-talosconfig.ts";
export { commandContext, openTalosconfig, selectLoadedContext, talosconfigFlag } from "./open-talosconfig.ts";
export { saveTalosconfig } from "./save-talosconfig.ts";
