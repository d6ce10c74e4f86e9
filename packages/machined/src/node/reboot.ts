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
  return execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], process.env);
}
