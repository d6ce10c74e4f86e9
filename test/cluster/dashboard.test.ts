// `talosctl dashboard` in a real terminal: two node processes, the dashboard under tmux, driven with keys
// and read back with capture-pane.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { repoRoot } from "../cli/harness.ts";
import { startCluster, type TestCluster } from "./harness.ts";

const run = promisify(execFile);
const SOCKET = `talos-dashboard-test-${process.pid}`;
const SESSION = "dashboard";

function tmux(...args: string[]): Promise<string> {
  return run("tmux", ["-L", SOCKET, ...args], { encoding: "utf8" }).then((r) => r.stdout);
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** Polls the pane until `check` accepts its text; fails with the last screen after `timeoutMs`. */
async function waitForScreen(what: string, check: (screen: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = "";
  for (;;) {
    screen = await tmux("capture-pane", "-p", "-t", SESSION);
    if (check(screen)) return screen;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; the screen was:\n${screen}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The lines inside the log panel (below its title, between the borders). */
function logPanelLines(screen: string): string[] {
  const lines = screen.split("\n");
  const top = lines.findIndex((l) => /┌─ (Kernel log \(dmesg\)|machined log)/.test(l));
  if (top < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(top + 1)) {
    if (l.startsWith("└")) break;
    out.push(
      l
        .replace(/^│ ?/, "")
        .replace(/ ?│\s*$/, "")
        .trim(),
    );
  }
  return out.filter((l) => l !== "");
}

describe("talosctl dashboard", () => {
  let cluster: TestCluster;
  let a: string;
  let b: string;
  let exitFile: string;

  before(async () => {
    cluster = await startCluster(47, 2);
    [a, b] = cluster.nodes.map((n) => n.address) as [string, string];
    const boot = await cluster.talosctl(["-e", a, "-n", a, "bootstrap"]);
    assert.equal(boot.code, 0, boot.stderr);
    exitFile = join(cluster.dir, "dashboard.exit");
    // Its own tmux server (-L) with a config that keeps the pane after the dashboard exits, so its end
    // state can be inspected.
    const conf = join(cluster.dir, "tmux.conf");
    await writeFile(conf, "set -g remain-on-exit on\nset -g status off\n");
    const talosctl = [
      process.execPath,
      join(repoRoot, "dist/talosctl.mjs"),
      "--talosconfig",
      cluster.talosconfig,
      "-e",
      a,
      "-n",
      `${a},${b}`,
      "dashboard",
      "-d",
      "1s",
    ]
      .map(shellQuote)
      .join(" ");
    const env = `env HOME=${shellQuote(cluster.dir)} TALOSCONFIG=${shellQuote(cluster.talosconfig)}`;
    await run("tmux", [
      "-L",
      SOCKET,
      "-f",
      conf,
      "new-session",
      "-d",
      "-x",
      "160",
      "-y",
      "48",
      "-s",
      SESSION,
      `${env} ${talosctl}; echo $? > ${shellQuote(exitFile)}`,
    ]);
  });

  after(async () => {
    await tmux("kill-server").catch(() => {});
    await cluster?.cleanup();
  });

  it("shows the first node: header, services with etcd, a log line", async () => {
    const screen = await waitForScreen(
      "the first node's header, etcd and a log line",
      (s) =>
        /^talos-127-0-47-2 \(v1\.6\.\d+\): uptime \S+, \d+x\S+, [\d.]+ \w+, PROCS \d+, CPU [\d.]+%, RAM [\d.]+%/.test(
          s.split("\n")[0] ?? "",
        ) &&
        /\betcd\s+Running/.test(s) &&
        logPanelLines(s).length > 0,
    );
    assert.match(screen, /STAGE\s+running/);
    assert.match(screen, /TYPE\s+controlplane/);
    assert.match(screen, /MEMBERS\s+\d+/);
    assert.match(screen, new RegExp(`ADDRESSES\\s+${a.replaceAll(".", "\\.")}/32`));
    assert.match(screen, /CPU +[\d.]+% \[/);
    assert.match(screen, /MEM +[\d.]+% \[/);
    assert.match(screen, /←\/→ or h\/l: switch node .* q or Ctrl-C: quit/);
    const alt = await tmux("display-message", "-p", "-t", SESSION, "#{alternate_on}");
    assert.equal(alt.trim(), "1", "the dashboard runs on the alternate screen");
  });

  it("l switches to the second node", async () => {
    await tmux("send-keys", "-t", SESSION, "l");
    await waitForScreen("the second node's header", (s) => /^talos-127-0-47-3 \(v1\.6\.\d+\)/.test(s));
    await tmux("send-keys", "-t", SESSION, "Left");
    await waitForScreen("the first node's header again", (s) => /^talos-127-0-47-2 \(v1\.6\.\d+\)/.test(s));
  });

  it("q quits with exit code 0 and leaves the alternate screen", async () => {
    await tmux("send-keys", "-t", SESSION, "q");
    const deadline = Date.now() + 15_000;
    while ((await tmux("display-message", "-p", "-t", SESSION, "#{pane_dead}")).trim() !== "1") {
      assert.ok(Date.now() < deadline, "the dashboard did not exit after q");
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await readFile(exitFile, "utf8")).trim(), "0");
    const alt = await tmux("display-message", "-p", "-t", SESSION, "#{alternate_on}");
    assert.equal(alt.trim(), "0", "the terminal is back on the normal screen");
    const screen = await tmux("capture-pane", "-p", "-t", SESSION);
    assert.doesNotMatch(screen, /switch node/);
  });
});
