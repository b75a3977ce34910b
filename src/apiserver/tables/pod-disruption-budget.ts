// PodDisruptionBudget rows for `kubectl get pdb`: the budget (whichever of minAvailable and maxUnavailable is
// set, "N/A" for the other), the disruptions the controller currently allows, and the age.
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import { ageColumn, column, nameColumn } from "./columns.js";
import { since } from "./format.js";
import type { TablePrinter } from "./types.js";

/** An IntOrString as intstr's String() prints it; "N/A" when the field is not set. */
const budgetCell = (value: number | string | null | undefined): string =>
  value === undefined || value === null ? "N/A" : String(value);

export const podDisruptionBudgetPrinter: TablePrinter<PodDisruptionBudget> = {
  columns: [
    nameColumn,
    column("Min Available", "string", "Least number of selected pods that must stay available."),
    column("Max Unavailable", "string", "Most selected pods that may be unavailable."),
    column(
      "Allowed Disruptions",
      "integer",
      "Pod disruptions allowed right now (status.disruptionsAllowed).",
    ),
    ageColumn,
  ],
  cells(pdb, now) {
    return [
      pdb.metadata?.name ?? "",
      budgetCell(pdb.spec?.minAvailable),
      budgetCell(pdb.spec?.maxUnavailable),
      pdb.status?.disruptionsAllowed ?? 0,
      since(pdb.metadata?.creationTimestamp, now),
    ];
  },
};
