// Reads `kubectl describe` output back: top-level "Key:  value" fields, indented sections, and the tables
// (Events, Conditions, Non-terminated Pods) that kubectl prints inside a section.
import { parseTable, type Table } from "./tables.js";

/** The value of a top-level field ("Status:       Running" → "Running"); undefined when absent. */
export function describeField(text: string, key: string): string | undefined {
  const prefix = `${key}:`;
  const line = text.split("\n").find((l) => l.startsWith(prefix));
  return line?.slice(prefix.length).trim();
}

/**
 * The lines of section `title` (a line that is exactly "Title:" at `indent`), up to the next line indented
 * at most as much; returned without the section's own indentation.
 */
export function describeSection(text: string, title: string, indent = 0): string[] {
  const lines = text.split("\n");
  const pad = " ".repeat(indent);
  const start = lines.findIndex((l) => l === `${pad}${title}:` || l.startsWith(`${pad}${title}:  `));
  if (start < 0) return [];
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const depth = line.length - line.trimStart().length;
    if (line.trim() !== "" && depth <= indent) break;
    body.push(line.slice(indent + 2));
  }
  while (body.length > 0 && body[body.length - 1].trim() === "") body.pop();
  return body;
}

/** Collapses the runs of spaces kubectl's tabwriter pads with, so lines compare without alignment. */
export const squeeze = (line: string): string => line.trim().replace(/\s{2,}/g, "  ");

/** The table inside a section (`Events:`, `Conditions:`), its "----" underline dropped. */
export function describeTable(text: string, title: string, indent = 0): Table {
  const body = describeSection(text, title, indent).filter((l) => !/^\s*-+(\s+-+)*\s*$/.test(l));
  return parseTable(body.join("\n"));
}
