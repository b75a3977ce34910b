// ControllerRevision rows for `kubectl get controllerrevisions`: the owning controller as
// "kind.group/name" and the revision number.
import type { ControllerRevision } from "kubernetes-types/apps/v1.js";
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import { ageColumn, column, nameColumn } from "./columns.js";
import { since } from "./format.js";
import type { TablePrinter } from "./types.js";

/** The group of an apiVersion: "apps/v1" → "apps", "v1" → "" (core). */
const groupOf = (apiVersion: string | undefined): string => {
  const slash = (apiVersion ?? "").indexOf("/");
  return slash < 0 ? "" : (apiVersion ?? "").slice(0, slash);
};

/** The controller owner as upstream prints it: "daemonset.apps/fluentd", "<none>" without one. */
export function controllerName(owners: OwnerReference[] | undefined): string {
  const ref = owners?.find((o) => o.controller === true);
  if (!ref) return "<none>";
  const group = groupOf(ref.apiVersion);
  const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
  return groupKind ? `${groupKind.toLowerCase()}/${ref.name}` : ref.name;
}

export const controllerRevisionPrinter: TablePrinter<ControllerRevision> = {
  columns: [
    nameColumn,
    column("Controller", "string", "The object that owns and controls this revision."),
    column("Revision", "string", "Revision number of the stored state (revision)."),
    ageColumn,
  ],
  cells(cr, now) {
    return [
      cr.metadata?.name ?? "",
      controllerName(cr.metadata?.ownerReferences),
      cr.revision ?? 0,
      since(cr.metadata?.creationTimestamp, now),
    ];
  },
};
