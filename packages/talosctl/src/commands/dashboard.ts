import { Command, Option } from "commander";
import { CliError } from "../cli/errors.ts";
import { goDurationSeconds } from "../output/go-format.ts";
import { connect } from "../transport/talos-client.ts";
import { parseGoDurationMs } from "./flag-values.ts";

interface DashboardFlags {
  readonly updateInterval: number;
}

const LONG = `Provide a text-based UI to navigate node overview, logs and real-time metrics.

Keyboard shortcuts:

 - h, <Left> - switch one node to the left
 - l, <Right> - switch one node to the right
 - j, <Down> - scroll logs down
 - k, <Up> - scroll logs up
 - <C-d> - scroll logs half page down
 - <C-u> - scroll logs half page up
 - q, <C-c> - quit`;

/** `talosctl dashboard [-d 3s]`: a terminal UI over the `-n` nodes (summary, monitor graphs, kernel log). */
export function registerDashboard(root: Command): void {
  root.addCommand(
    new Command("dashboard")
      .summary("Cluster dashboard with node overview, logs and real-time metrics")
      .description(LONG)
      .addOption(
        new Option("-d, --update-interval <duration>", "interval between updates")
          .argParser(parseGoDurationMs)
          .default(3000, "3s"),
      )
      .action(async (flags: DashboardFlags, cmd: Command) => {
        if (!(flags.updateInterval > 0)) throw new CliError("--update-interval must be positive");
        if (process.stdout.isTTY !== true || process.stdin.isTTY !== true) {
          throw new CliError("the dashboard needs a terminal: stdin and stdout must be a TTY");
        }
        const conn = await connect(cmd);
        // Without nodes, the endpoint itself is shown.
        const nodes = conn.nodes.length > 0 ? [...conn.nodes] : [""];
        // React's production build. And ink's interactive rendering with colours even where CI variables
        // are set (ink and chalk would otherwise print only the last frame, without colours): this is a TTY.
        process.env["NODE_ENV"] ??= "production";
        for (const name of Object.keys(process.env)) {
          if (name === "CI" || name === "CONTINUOUS_INTEGRATION" || name.startsWith("CI_")) delete process.env[name];
        }
        const { runDashboard } = await import("./dashboard/app.ts");
        await runDashboard({
          conn,
          nodes,
          intervalMs: flags.updateInterval,
          intervalLabel: intervalLabel(flags.updateInterval),
        });
        // The screen is restored. Calls still in flight (a node that does not answer) must not hold the
        // exit until they time out.
        setTimeout(() => process.exit(process.exitCode ?? 0), 250).unref();
      }),
  );
}

/** The interval as Go prints a duration (`3s`, `1m30s`, `1.5s`), for the screen. */
function intervalLabel(ms: number): string {
  return ms % 1000 === 0 ? goDurationSeconds(ms) : `${ms / 1000}s`;
}
