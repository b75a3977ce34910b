// The fallback table for kinds without their own printer: NAME and AGE, as upstream prints custom
// resources that declare no extra printer columns.
import type { ObjectMeta } from "kubernetes-types/meta/v1.js";
import { ageColumn, nameColumn } from "./columns.js";
import { since } from "./format.js";
import type { TablePrinter } from "./types.js";

export const defaultPrinter: TablePrinter<{ metadata?: ObjectMeta }> = {
  columns: [nameColumn, ageColumn],
  cells: (obj, now) => [obj.metadata?.name ?? "", since(obj.metadata?.creationTimestamp, now)],
};
