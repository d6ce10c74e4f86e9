import { connect } from "node:net";
import type { HealthCheck } from "../supervisor/index.ts";

/** A health check that dials a TCP port (Talos checks apid and trustd this way). */
export function tcpHealthCheck(host: string, port: number): HealthCheck {
  return {
    check: (signal) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect({ host, port, signal });
        socket.once("connect", () => {
          socket.destroy();
          resolve();
        });
        socket.once("error", (e: NodeJS.ErrnoException) => {
          reject(
            new Error(
              `dial tcp ${host}:${port}: ${e.code === "ECONNREFUSED" ? "connect: connection refused" : e.message}`,
            ),
          );
        });
      }),
  };
}
