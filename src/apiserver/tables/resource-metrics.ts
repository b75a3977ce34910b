// Rows of metrics.k8s.io NodeMetrics and PodMetrics for `kubectl get nodemetrics|podmetrics`, with the columns
// metrics-server prints: NAME, CPU, MEMORY (a pod's summed over its containers) and WINDOW.
import { parseQuantity, type Quantity } from "../../api/quantity.js";
import { column, nameColumn } from "./columns.js";
import type { TablePrinter } from "./types.js";

type Usage = Record<string, string> | undefined;

interface NodeMetricsRow {
  metadata?: { name?: string };
  window?: string;
  usage?: Usage;
}

interface PodMetricsRow {
  metadata?: { name?: string };
  window?: string;
  containers?: { usage?: Usage }[];
}

const columns = [
  nameColumn,
  column("CPU", "string", "CPU used over the window, in cores.", { format: "quantity" }),
  column("Memory", "string", "Memory working set at the end of the window, in bytes.", {
    format: "quantity",
  }),
  column("Window", "string", "The interval the usage was measured over.", { format: "duration" }),
];

/** The sum of one resource over several usage lists, printed canonically ("0" when absent everywhere). */
function total(usages: readonly Usage[], resource: "cpu" | "memory"): string {
  let sum: Quantity | undefined;
  for (const usage of usages) {
    const text = usage?.[resource];
    if (text === undefined) continue;
    const q = parseQuantity(text);
    sum = sum ? sum.add(q) : q;
  }
  return sum?.toString() ?? "0";
}

export const nodeMetricsPrinter: TablePrinter<NodeMetricsRow> = {
  columns,
  cells: (m) => [m.metadata?.name ?? "", total([m.usage], "cpu"), total([m.usage], "memory"), m.window ?? ""],
};

export const podMetricsPrinter: TablePrinter<PodMetricsRow> = {
  columns,
  cells: (m) => {
    const usages = (m.containers ?? []).map((c) => c.usage);
    return [m.metadata?.name ?? "", total(usages, "cpu"), total(usages, "memory"), m.window ?? ""];
  },
};
