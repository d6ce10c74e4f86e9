// The dashboard screen as lines of styled segments, laid out for a terminal size: header, node tabs, the
// summary and monitor panels side by side, the log panel, the key bar. Pure: the React view only prints it.
import { blockGraph, gauge, headerDetails, logTitle, type NodeData, percent, truncate } from "./model.ts";

export interface Seg {
  readonly text: string;
  readonly color?: string;
  readonly bold?: boolean;
  readonly inverse?: boolean;
  readonly dim?: boolean;
}

export type Line = readonly Seg[];

export interface ScreenInput {
  readonly nodes: readonly NodeData[];
  readonly selected: number;
  readonly cols: number;
  /** Lines available (the terminal's rows less one, so the terminal never scrolls). */
  readonly rows: number;
  readonly intervalLabel: string;
  readonly nowMs: number;
  /** How many lines the log panel is scrolled up from its newest line (0: follows new lines). */
  readonly logScroll?: number;
}

export const KEYS_HELP = "←/→ or h/l: switch node   ↑/↓ or k/j: scroll log   q or Ctrl-C: quit";

function lineWidth(line: Line): number {
  let n = 0;
  for (const s of line) n += s.text.length;
  return n;
}

/** Cuts or pads a line to exactly `width` characters. */
export function fit(line: Line, width: number, fill: Omit<Seg, "text"> = {}): Line {
  const out: Seg[] = [];
  let left = width;
  for (const s of line) {
    if (left <= 0) break;
    if (s.text.length <= left) {
      out.push(s);
      left -= s.text.length;
    } else {
      out.push({ ...s, text: truncate(s.text, left) });
      left = 0;
    }
  }
  if (left > 0) out.push({ ...fill, text: " ".repeat(left) });
  return out;
}

const BORDER: Omit<Seg, "text"> = { color: "gray" };

/**
 * Wraps text into lines of at most `width`, breaking at spaces where it can; at most `max` lines, the last
 * one ending in `…` when more was cut.
 */
export function wrapText(text: string, width: number, max: number): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest !== "" && out.length < max) {
    if (out.length === max - 1 || rest.length <= width) {
      out.push(truncate(rest, width));
      break;
    }
    const space = rest.lastIndexOf(" ", width);
    const cut = space > width / 2 ? space : width;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  return out;
}

/** A box `width` x `height` with a title in its top border and `content` inside (cut to fit). */
export function panel(
  title: Line,
  width: number,
  height: number,
  content: readonly Line[],
  opts: { tail?: boolean; scroll?: number } = {},
): Line[] {
  const inner = Math.max(0, width - 4);
  const capacity = Math.max(0, height - 2);
  let shown: readonly Line[];
  if (opts.tail === true) {
    const end = Math.max(Math.min(capacity, content.length), content.length - (opts.scroll ?? 0));
    shown = content.slice(Math.max(0, end - capacity), end);
  } else {
    shown = content.slice(0, capacity);
  }
  const titleLine = fit(title, Math.max(0, Math.min(lineWidth(title), width - 6)));
  const top: Seg[] = [
    { ...BORDER, text: "┌─ " },
    ...titleLine,
    { ...BORDER, text: ` ${"─".repeat(Math.max(0, width - 5 - lineWidth(titleLine)))}┐` },
  ];
  const lines: Line[] = [top];
  for (let i = 0; i < capacity; i++) {
    lines.push([{ ...BORDER, text: "│ " }, ...fit(shown[i] ?? [], inner), { ...BORDER, text: " │" }]);
  }
  if (height >= 2) lines.push([{ ...BORDER, text: `└${"─".repeat(Math.max(0, width - 2))}┘` }]);
  return lines.map((l) => fit(l, width));
}

function label(name: string, value: string, color?: string): Line {
  return [{ text: name.padEnd(10), bold: true }, color !== undefined ? { text: value, color } : { text: value }];
}

function summaryLines(d: NodeData, width: number): Line[] {
  const lines: Line[] = [];
  // Errors wrap over up to three lines each: their end (the cause) matters most.
  const textW = Math.max(10, width - 10);
  for (const e of d.errors) {
    const parts = wrapText(e, textW, 3);
    parts.forEach((part, i) => {
      lines.push(label(i === 0 ? "ERROR" : "", part, "red"));
    });
  }
  const ready =
    d.ready === undefined
      ? "n/a"
      : d.ready
        ? "true"
        : `false${(d.unmetConditions ?? []).length > 0 ? ` (${(d.unmetConditions ?? []).join(", ")})` : ""}`;
  lines.push(label("STAGE", d.stage ?? "n/a", d.stage === "running" ? "green" : undefined));
  lines.push(label("READY", ready, d.ready === true ? "green" : d.ready === false ? "yellow" : undefined));
  lines.push(label("TYPE", d.machineType ?? "n/a"));
  lines.push(label("MEMBERS", d.members !== undefined ? String(d.members) : "n/a"));
  lines.push(label("ADDRESSES", d.addresses !== undefined ? d.addresses.join(", ") || "none" : "n/a"));
  lines.push(label("LOAD", d.load !== undefined ? d.load.map((l) => l.toFixed(2)).join(" ") : "n/a"));
  lines.push([]);
  const services = d.services ?? [];
  const idW = Math.max(8, ...services.map((s) => s.id.length)) + 2;
  const stateW = Math.max(8, ...services.map((s) => s.state.length)) + 2;
  lines.push([{ text: `${"SERVICE".padEnd(idW)}${"STATE".padEnd(stateW)}HEALTH`, bold: true }]);
  if (d.services === undefined) lines.push([{ text: "n/a", dim: true }]);
  for (const s of services) {
    const healthColor = s.health === "OK" ? "green" : s.health === "Fail" ? "red" : undefined;
    const stateColor = s.state === "Running" ? undefined : s.state === "Failed" ? "red" : "yellow";
    lines.push([
      { text: s.id.padEnd(idW) },
      stateColor !== undefined ? { text: s.state.padEnd(stateW), color: stateColor } : { text: s.state.padEnd(stateW) },
      healthColor !== undefined ? { text: s.health, color: healthColor } : { text: s.health },
    ]);
  }
  return lines.map((l) => fit(l, width));
}

function monitorLines(d: NodeData, width: number, graphRows: number): Line[] {
  const gaugeW = Math.max(4, Math.min(30, width - 16));
  const graph = (values: number[], color: string): Line[] =>
    blockGraph(values, width, graphRows).map((row) => [{ text: row, color }]);
  return [
    [
      { text: "CPU ", bold: true },
      { text: percent(d.cpuUsage).padStart(6) },
      { text: " " },
      { text: gauge(d.cpuUsage, gaugeW), color: "cyan" },
    ],
    ...graph(d.cpuHistory, "cyan"),
    [
      { text: "MEM ", bold: true },
      { text: percent(d.memUsage).padStart(6) },
      { text: " " },
      { text: gauge(d.memUsage, gaugeW), color: "magenta" },
    ],
    ...graph(d.memHistory, "magenta"),
  ];
}

/** The whole screen: exactly `rows` lines of `cols` characters. */
export function renderScreen(input: ScreenInput): Line[] {
  const { nodes, cols, rows } = input;
  const d = nodes[input.selected];
  if (d === undefined) return [];
  const lines: Line[] = [];

  // Header: `hostname (version): uptime ..., CPU x%, RAM y%`, or the node and its error while it is down.
  const header: Seg[] = [{ text: d.hostname ?? d.node, color: "yellow", bold: true }];
  if (d.hostname === undefined && d.errors.length > 0) header.push({ text: `: ${d.errors[0]}`, color: "red" });
  else header.push({ text: ` ${headerDetails(d, input.nowMs)}` });
  lines.push(header);

  // Node tabs: the selected one highlighted, failing ones in red.
  const tabs: Seg[] = [{ text: "NODES ", bold: true }];
  nodes.forEach((n, i) => {
    const name = ` ${n.node !== "" ? n.node : (n.hostname ?? "endpoint")} `;
    const failing = n.errors.length > 0;
    const seg: Seg = { text: name, inverse: i === input.selected, ...(failing ? { color: "red" } : {}) };
    tabs.push(seg, { text: " " });
  });
  const status = ` every ${input.intervalLabel}`;
  const tabsLine = fit(tabs, Math.max(0, cols - status.length));
  lines.push([...tabsLine, { text: status, dim: true }]);

  // Summary | Monitor.
  const footerRows = 1;
  const available = rows - lines.length - footerRows;
  const leftW = Math.max(30, Math.min(cols - 20, Math.floor(cols * 0.45)));
  const rightW = cols - leftW;
  const summary = summaryLines(d, leftW - 4);
  const minMid = 12;
  const midH = Math.max(
    Math.min(available, 4),
    Math.min(Math.max(summary.length + 2, minMid), Math.floor(available * 0.55)),
  );
  const graphRows = Math.max(1, Math.floor((midH - 2 - 2) / 2));
  const left = panel([{ text: "Talos", bold: true }], leftW, midH, summary);
  const right = panel([{ text: "Monitor", bold: true }], rightW, midH, monitorLines(d, rightW - 4, graphRows));
  for (let i = 0; i < midH; i++) lines.push([...(left[i] ?? []), ...(right[i] ?? [])]);

  // Log panel: fills the rest.
  const logH = Math.max(0, rows - lines.length - footerRows);
  if (logH >= 2) {
    const title: Seg[] = [{ text: logTitle(d.logSource), bold: true }];
    const scroll = Math.min(input.logScroll ?? 0, Math.max(0, d.logLines.length - (logH - 2)));
    if (scroll > 0) title.push({ text: ` [${scroll} line${scroll === 1 ? "" : "s"} up]`, color: "yellow" });
    if (d.logError !== undefined) title.push({ text: ` (${d.logError}, retrying)`, color: "red" });
    else if (d.errors.length > 0) title.push({ text: " (node not answering)", color: "red" });
    const content = d.logLines.map((l): Line => [{ text: l }]);
    lines.push(...panel(title, cols, logH, content, { tail: true, scroll }));
  }

  // Key bar.
  const where = ` node ${input.selected + 1}/${nodes.length} `;
  lines.push(
    fit(
      [
        { text: ` ${KEYS_HELP}`, inverse: true },
        { text: " ".repeat(Math.max(0, cols - KEYS_HELP.length - 1 - where.length)), inverse: true },
        { text: where, inverse: true, bold: true },
      ],
      cols,
      { inverse: true },
    ),
  );
  return lines.slice(0, rows).map((l) => fit(l, cols));
}

/** A screen as plain text (tests, debugging). */
export function screenText(lines: readonly Line[]): string {
  return lines.map((l) => l.map((s) => s.text).join("")).join("\n");
}
