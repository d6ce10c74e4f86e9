/**
 * Lays out rows of cells the way Go's `text/tabwriter` does with minwidth 0, padchar ' ' and no flags
 * (what talosctl uses for its tables): every cell except the last of its row is padded with spaces to the
 * widest cell of its column plus `padding`; the last cell is written as is. Widths count code points.
 * Each row ends with a newline.
 */
export function formatTable(rows: readonly (readonly string[])[], padding = 3): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i === row.length - 1) return;
      widths[i] = Math.max(widths[i] ?? 0, width(cell) + padding);
    });
  }
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - width(cell)))).join(""),
    )
    .map((line) => `${line}\n`)
    .join("");
}

function width(s: string): number {
  return Array.from(s).length;
}
