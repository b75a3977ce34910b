// ResourceQuota rows for `kubectl get quota`: each limited resource as `used/hard`, the limits.* ones in the
// Limit column and all others in the Request column, in name order (upstream's printResourceQuota).
import type { ResourceQuota } from "kubernetes-types/core/v1.js";
import { parseQuantity } from "../../api/quantity.js";
import { ageColumn, column, nameColumn } from "./columns.js";
import { since } from "./format.js";
import type { TablePrinter } from "./types.js";

/** A quantity as Quantity.String() prints it; an absent amount is the zero quantity, "0". */
function amount(value: unknown): string {
  if (value === undefined || value === null) return "0";
  try {
    return parseQuantity(String(value)).toString();
  } catch {
    return String(value);
  }
}

/** The Request and Limit cells: `pods: 3/5, requests.cpu: 300m/1`. */
export function quotaUsageCells(quota: ResourceQuota): [string, string] {
  const hard = quota.status?.hard ?? {};
  const used = quota.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const pieces = name.split(".");
    const target = pieces.length > 1 && pieces[0] === "limits" ? limits : requests;
    target.push(`${name}: ${amount(used[name])}/${amount(hard[name])}`);
  }
  return [requests.join(", "), limits.join(", ")];
}

export const resourceQuotaPrinter: TablePrinter<ResourceQuota> = {
  columns: [
    nameColumn,
    ageColumn,
    column(
      "Request",
      "string",
      "Usage and ceiling of every limited resource other than limits.*, as used/hard.",
    ),
    column(
      "Limit",
      "string",
      "Usage and ceiling of the limits.* resources (container limits), as used/hard.",
    ),
  ],
  cells(quota, now) {
    return [
      quota.metadata?.name ?? "",
      since(quota.metadata?.creationTimestamp, now),
      ...quotaUsageCells(quota),
    ];
  },
};
