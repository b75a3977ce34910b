// Figures of a benchmark run and how they are printed: the median of the runs, percentiles, and the table.
export interface Figure {
  scenario: string;
  figure: number;
  unit: string;
  target: string;
  /** undefined: informational, no target. */
  pass: boolean | undefined;
  runs: number[];
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile, p in (0, 1]. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

function format(v: number, unit: string): string {
  if (unit === "ratio") return v.toFixed(2);
  if (unit === "writes/s") return Math.round(v).toLocaleString("en-US");
  if (unit === "count") return String(Math.round(v));
  return v < 10 ? v.toFixed(2) : v.toFixed(1);
}

export function renderTable(figures: Figure[]): string {
  const rows = [
    ["scenario", "figure", "unit", "target", "result"],
    ...figures.map((f) => [
      f.scenario,
      format(f.figure, f.unit),
      f.unit,
      f.target,
      f.pass === undefined ? "" : f.pass ? "pass" : "FAIL",
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
