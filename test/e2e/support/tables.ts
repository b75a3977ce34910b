// Reads kubectl's human-readable tables back into cells. Columns are located by the header's positions
// (kubectl aligns every cell under its header), so empty cells and values with spaces survive.

export interface Table {
  header: string[];
  rows: Record<string, string>[];
}

/** Parses one table: the first non-empty line is the header. `--no-headers` output is not supported. */
export function parseTable(text: string): Table {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0) return { header: [], rows: [] };
  // Header cells are separated by at least two spaces; single spaces belong to the title ("NODE SELECTOR").
  const columns = [...lines[0].matchAll(/\S+(?: \S+)*/g)].map((m) => ({ title: m[0], start: m.index }));
  const rows = lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    columns.forEach((c, i) => {
      const end = i + 1 < columns.length ? columns[i + 1].start : line.length;
      row[c.title] = line.slice(c.start, end).trim();
    });
    return row;
  });
  return { header: columns.map((c) => c.title), rows };
}

/** Parses output holding several tables separated by blank lines (`kubectl get ds,nodes`). */
export function parseTables(text: string): Table[] {
  return text
    .split(/\n\s*\n/)
    .filter((block) => block.trim() !== "")
    .map(parseTable);
}

/** The value of one column across all rows. */
export const column = (table: Table, title: string): string[] => table.rows.map((r) => r[title]);
