// Server-side printing for `kubectl get`: the public surface of the tables module.
export { type BuildTableOptions, buildRow, buildTable, type IncludeObject } from "./build-table.js";
export { printerFor } from "./printers.js";
export type { Table, TableColumnDefinition, TablePrinter, TableRow, TableRowCondition } from "./types.js";
