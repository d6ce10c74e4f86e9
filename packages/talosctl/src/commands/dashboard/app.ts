// Runs the dashboard in the terminal: the alternate screen, the ink app, the data store; on exit (q, Ctrl-C,
// a signal) everything is stopped and the terminal put back as it was. Loaded only when the dashboard runs:
// this module graph (react, ink, yoga) stays out of talosctl's start-up.
import { render } from "ink";
import React from "react";
import type { TalosConnection } from "../../transport/talos-client.ts";
import { createDashboardApi } from "./api.ts";
import { DashboardStore } from "./store.ts";
import { Dashboard } from "./view.ts";

const ENTER_ALT_SCREEN = "\x1b[?1049h\x1b[H";
const LEAVE_ALT_SCREEN = "\x1b[?1049l";
const SHOW_CURSOR = "\x1b[?25h";
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

export interface DashboardOptions {
  readonly conn: TalosConnection;
  /** The nodes to show, as they are targeted ("" = the endpoint itself). */
  readonly nodes: readonly string[];
  readonly intervalMs: number;
  /** `-d` as the user wrote it, for the screen. */
  readonly intervalLabel: string;
}

/** Shows the dashboard until the user quits. */
export async function runDashboard(opts: DashboardOptions): Promise<void> {
  const stdout = process.stdout;
  // Calls may take up to an interval (at least 5 s) before a node counts as not answering.
  const api = createDashboardApi(opts.conn, Math.max(5000, opts.intervalMs));
  const store = new DashboardStore(api, opts.nodes, { intervalMs: opts.intervalMs });

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  // A crash or a kill still leaves the alternate screen (ink unmounts itself on these too).
  process.once("exit", restore);
  const onSignal = (signal: NodeJS.Signals) => {
    store.stop();
    restore();
    process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 15));
  };
  for (const s of STOP_SIGNALS) process.once(s, onSignal);
  stdout.write(ENTER_ALT_SCREEN);

  store.start();
  const app = render(React.createElement(Dashboard, { store, intervalLabel: opts.intervalLabel }), {
    stdout,
    stdin: process.stdin,
    exitOnCtrlC: true,
    patchConsole: false,
    maxFps: 10,
    // Not incrementalRendering: ink 6.8's line diff lands one row low after a frame ending in a newline.
  });
  try {
    await app.waitUntilExit();
  } finally {
    store.stop();
    app.unmount();
    restore();
    process.off("exit", restore);
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}
