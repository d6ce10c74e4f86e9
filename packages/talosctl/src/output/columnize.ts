/**
 * ryanuber/columnize `SimpleFormat` (what `talosctl processes` prints with): each line is split on `|`,
 * the fields are trimmed, every field but a line's last is left-aligned to its column's widest field and
 * followed by two spaces. Lines are joined with newlines, without a trailing one.
 */
export function columnize(lines: readonly string[]): string {
  const rows = lines.map((line) => line.split("|").map((f) => f.trim()));
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, Array.from(cell).length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : `${cell}${" ".repeat((widths[i] ?? 0) - Array.from(cell).length)}  `,
        )
        .join(""),
    )
    .join("\n");
}
