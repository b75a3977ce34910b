// Turns objects of one kind into a meta.k8s.io/v1 Table: one row per object, each computed on its own so
// a watch event can be rendered as a one-row table.
import type { ObjectMeta } from "kubernetes-types/meta/v1.js";
import { printerFor } from "./printers.js";
import type { Table, TablePrinter, TableRow } from "./types.js";

/** What each row carries besides its cells (the `includeObject` query parameter). */
export type IncludeObject = "None" | "Metadata" | "Object";

export interface BuildTableOptions {
  /** Current time in ms since the epoch; AGE and similar cells count from it. */
  now: number;
  /** Defaults to "Metadata", which is what kubectl relies on for NAMESPACE, --show-labels and -L. */
  includeObject?: IncludeObject;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** Leave out columnDefinitions (null): watch events after the first reuse the columns already sent. */
  omitHeaders?: boolean;
}

type AnyObject = { metadata?: ObjectMeta };

function rowObject(obj: AnyObject, include: IncludeObject): object | undefined {
  if (include === "None") return undefined;
  if (include === "Object") return obj;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata ?? {} };
}

/** One object's row: cells for every column, the row conditions if any, and the requested object. */
export function buildRow(printer: TablePrinter, obj: object, now: number, include: IncludeObject): TableRow {
  const row: TableRow = { cells: printer.cells(obj, now) };
  const conditions = printer.conditions?.(obj);
  if (conditions) row.conditions = conditions;
  const object = rowObject(obj as AnyObject, include);
  if (object) row.object = object;
  return row;
}

/** A Table of `objects`, all of kind `groupKind` ("apps/DaemonSet", "/Pod"). */
export function buildTable(groupKind: string, objects: readonly object[], opts: BuildTableOptions): Table {
  const printer = printerFor(groupKind);
  const include = opts.includeObject ?? "Metadata";
  const rows = new Array<TableRow>(objects.length);
  for (let i = 0; i < objects.length; i++) rows[i] = buildRow(printer, objects[i], opts.now, include);
  const metadata: Table["metadata"] = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: opts.omitHeaders ? null : printer.columns,
    rows,
  };
}
