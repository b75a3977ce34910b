// Wire shapes of meta.k8s.io/v1 Table, the server-side printing format `kubectl get` asks for.

export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type of the cells: "string", "integer", "number", "boolean" or "date". */
  type: string;
  /** OpenAPI format hint; "name" marks the column holding the object's name. */
  format: string;
  description: string;
  /** 0 shows always; 1 and higher only with `-o wide`. */
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: object;
}

export interface Table {
  kind: "Table";
  apiVersion: "meta.k8s.io/v1";
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** null on watch events after the first, which reuse the columns already sent. */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** How rows of one kind are printed: its columns, and the cells (and conditions) of one object. */
export interface TablePrinter<T = any> {
  columns: TableColumnDefinition[];
  /** Cells for every column, wide ones included: the server always prints wide, kubectl hides them. */
  cells(obj: T, now: number): unknown[];
  conditions?(obj: T): TableRowCondition[] | undefined;
}
