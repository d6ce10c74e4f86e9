// The dashboard's React (ink) view. Written with `React.createElement` (as `h`): Node runs .ts files by
// stripping types, which leaves JSX alone, so there is no .tsx here.
import { Box, Text, useApp, useInput, useStdout } from "ink";
import React from "react";
import { type Line, renderScreen, type Seg } from "./screen.ts";
import type { DashboardStore } from "./store.ts";

const h = React.createElement;

export interface DashboardProps {
  readonly store: DashboardStore;
  readonly intervalLabel: string;
}

function segment(s: Seg, i: number): React.ReactElement {
  return h(
    Text,
    {
      key: i,
      ...(s.color !== undefined ? { color: s.color } : {}),
      ...(s.bold === true ? { bold: true } : {}),
      ...(s.inverse === true ? { inverse: true } : {}),
      ...(s.dim === true ? { dimColor: true } : {}),
    },
    s.text,
  );
}

function lineElement(line: Line, i: number): React.ReactElement {
  return h(Text, { key: i, wrap: "truncate-end" }, ...line.map(segment));
}

function sizeOf(stdout: NodeJS.WriteStream): { cols: number; rows: number } {
  return { cols: stdout.columns || 80, rows: stdout.rows || 24 };
}

/** The terminal's size, following resizes. */
function useTerminalSize(): { cols: number; rows: number } {
  const { stdout } = useStdout();
  const [size, setSize] = React.useState(() => sizeOf(stdout));
  React.useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout));
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout]);
  return size;
}

/** The whole screen; ←/→ or h/l switch node, ↑/↓ or k/j (Ctrl-U/Ctrl-D) scroll the log, q or Ctrl-C quit. */
export function Dashboard(props: DashboardProps): React.ReactElement {
  const { exit } = useApp();
  const { cols, rows } = useTerminalSize();
  const [selected, setSelected] = React.useState(0);
  const [scroll, setScroll] = React.useState(0);
  React.useSyncExternalStore(props.store.subscribe, () => props.store.snapshot(selected));
  const count = props.store.nodes.length;

  // One line short of the terminal: a frame that fills it makes ink clear the whole screen every time.
  const height = Math.max(1, rows - 1);
  const logLines = props.store.nodes[selected]?.logLines.length ?? 0;
  const scrollBy = (n: number) => setScroll((s) => Math.max(0, Math.min(logLines, s + n)));
  const halfPage = Math.max(1, Math.floor(height / 4));

  useInput((input, key) => {
    if (input === "q" || (key.ctrl && input === "c")) {
      exit();
    } else if (key.leftArrow || input === "h") {
      setSelected((s) => (s - 1 + count) % count);
      setScroll(0);
    } else if (key.rightArrow || input === "l") {
      setSelected((s) => (s + 1) % count);
      setScroll(0);
    } else if (key.upArrow || input === "k") {
      scrollBy(1);
    } else if (key.downArrow || input === "j") {
      scrollBy(-1);
    } else if (key.ctrl && input === "u") {
      scrollBy(halfPage);
    } else if (key.ctrl && input === "d") {
      scrollBy(-halfPage);
    }
  });

  const lines = renderScreen({
    nodes: props.store.nodes,
    selected,
    cols,
    rows: height,
    intervalLabel: props.intervalLabel,
    nowMs: Date.now(),
    logScroll: scroll,
  });
  return h(Box, { flexDirection: "column", width: cols, height }, ...lines.map(lineElement));
}
