import { access } from "node:fs/promises";
import { GoroutineRunner, type Service } from "../supervisor/index.ts";

/**
 * The `machined` service: machined's own API on its unix socket, which is already serving when services
 * start (it is what they are managed through); the service makes it visible and health-checked.
 */
export function machinedService(socketPath: string): Service {
  return {
    id: "machined",
    health: { check: () => access(socketPath) },
    runner: (ctx) =>
      new GoroutineRunner({
        id: "machined",
        log: ctx.log,
        main: (signal) =>
          new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true })),
      }),
  };
}
