import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/** Environment variable naming the talosconfig when `--talosconfig` is not given. */
export const TALOSCONFIG_ENV = "TALOSCONFIG";
/** Where a pod finds its talosconfig (Kubernetes Talos API access); read-only. */
export const SERVICE_ACCOUNT_TALOSCONFIG = "/var/run/secrets/talos.dev/config";

/** A candidate talosconfig file and whether talosctl may write to it. */
export interface TalosconfigLocation {
  readonly path: string;
  readonly writeAllowed: boolean;
}

export interface LocateOptions {
  /** The `--talosconfig` flag when given on the command line (not from the environment). */
  readonly flag?: string;
  /** Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to `$HOME`, else the OS home directory. */
  readonly home?: string;
}

/** `~/.talos/config` for the given home directory. */
export function homeTalosconfig(home: string): string {
  return join(home, ".talos", "config");
}

/**
 * The default talosconfig paths in priority order, as talosctl lists them: `$TALOSCONFIG` (if set),
 * `$HOME/.talos/config`, then the read-only service account mount.
 */
export function defaultTalosconfigPaths(opts: LocateOptions = {}): TalosconfigLocation[] {
  const env = opts.env ?? process.env;
  const home = opts.home ?? homeDirectory(env);
  const out: TalosconfigLocation[] = [];
  const fromEnv = env[TALOSCONFIG_ENV];
  if (fromEnv !== undefined && fromEnv !== "") out.push({ path: fromEnv, writeAllowed: true });
  out.push({ path: homeTalosconfig(home), writeAllowed: true });
  out.push({ path: SERVICE_ACCOUNT_TALOSCONFIG, writeAllowed: false });
  return out;
}

/**
 * Finds the talosconfig to use. An explicit `--talosconfig` path is used as is (it need not exist yet).
 * Otherwise the first default path that exists wins; when none exists, the first writable one is returned,
 * to be created on save.
 */
export async function locateTalosconfig(opts: LocateOptions = {}): Promise<TalosconfigLocation> {
  if (opts.flag !== undefined && opts.flag !== "") return { path: opts.flag, writeAllowed: true };
  const paths = defaultTalosconfigPaths(opts);
  for (const p of paths) {
    if (await exists(p.path)) return p;
  }
  // The home path is always writable, so there is one.
  return (
    paths.find((p) => p.writeAllowed) ?? {
      path: homeTalosconfig(homeDirectory(opts.env ?? process.env)),
      writeAllowed: true,
    }
  );
}

function homeDirectory(env: Readonly<Record<string, string | undefined>>): string {
  const home = env["HOME"];
  return home !== undefined && home !== "" ? home : homedir();
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
