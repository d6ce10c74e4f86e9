/**
 * Reboots a node that runs as a process: the process image is replaced by a fresh machined with the same
 * arguments, which boots from the config persisted in STATE (the address stays, so clients reconnect).
 * In a container, PID 1 restarts machined the same way.
 */
export function reboot(): never {
  const execve = (process as unknown as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never })
    .execve;
  if (execve === undefined) {
    // Without execve, exit with a code the supervisor treats as "restart me".
    process.exit(75);
  }
  return execve(
    process.execPath,
    [process.execPath, ...process.execArgv, ...withoutInitialConfig(process.argv.slice(1))],
    process.env,
  );
}

/**
 * The command line minus `--config FILE`: that flag installs a config on first boot only; after a reset
 * wiped STATE, the rebooted node must come up in maintenance mode, not with the original file.
 */
export function withoutInitialConfig(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--config") {
      i++;
      continue;
    }
    if (a.startsWith("--config=")) continue;
    out.push(a);
  }
  return out;
}
