// Column definition helpers and the columns nearly every kind shares (Name, Age, wide container lists).
import type { TableColumnDefinition } from "./types.js";

interface ColumnOptions {
  format?: string;
  /** Wide-only columns (`-o wide`) have priority 1. */
  wide?: boolean;
}

export function column(
  name: string,
  type: string,
  description: string,
  options: ColumnOptions = {},
): TableColumnDefinition {
  return { name, type, format: options.format ?? "", description, priority: options.wide ? 1 : 0 };
}

export const nameColumn = column("Name", "string", "Name of the object, unique within its namespace.", {
  format: "name",
});

export const ageColumn = column(
  "Age",
  "string",
  "Time since the object was created (metadata.creationTimestamp).",
);

/** The wide Containers/Images pair of every workload kind. */
export const containerColumns = [
  column("Containers", "string", "Names of the containers in the pod template.", { wide: true }),
  column("Images", "string", "Images of the containers in the pod template.", { wide: true }),
];
