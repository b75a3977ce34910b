// RBAC rows: Roles and ClusterRoles print NAME and CREATED AT (upstream serves them through the
// generic table convertor), bindings print the role reference and, wide, their subjects.

import type { ObjectMeta } from "kubernetes-types/meta/v1.js";
import type { ClusterRoleBinding, RoleBinding, Subject } from "kubernetes-types/rbac/v1.js";
import { ageColumn, column, nameColumn } from "./columns.js";
import { since, timestampMs } from "./format.js";
import type { TablePrinter } from "./types.js";

/** RFC 3339 in UTC without fractional seconds, as Go's time.RFC3339 prints it; Go's zero time when unset. */
export function rfc3339(timestamp: string | null | undefined): string {
  const ms = timestampMs(timestamp);
  if (ms === undefined) return "0001-01-01T00:00:00Z";
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** Name plus creation time: the generic convertor's columns, used for Role and ClusterRole. */
export const createdAtPrinter: TablePrinter<{ metadata?: ObjectMeta }> = {
  columns: [
    nameColumn,
    column("Created At", "date", "Time the object was created (metadata.creationTimestamp)."),
  ],
  cells: (obj) => [obj.metadata?.name ?? "", rfc3339(obj.metadata?.creationTimestamp)],
};

/** Users, groups and "namespace/name" service accounts of the subjects, each ", "-joined. */
export function subjectCells(subjects: Subject[] | undefined): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === "ServiceAccount") serviceAccounts.push(`${s.namespace ?? ""}/${s.name}`);
    else if (s.kind === "User") users.push(s.name);
    else if (s.kind === "Group") groups.push(s.name);
  }
  return [users.join(", "), groups.join(", "), serviceAccounts.join(", ")];
}

export const bindingPrinter: TablePrinter<RoleBinding | ClusterRoleBinding> = {
  columns: [
    nameColumn,
    column("Role", "string", "The role granted, as Kind/name (roleRef)."),
    ageColumn,
    column("Users", "string", "Users the binding applies to.", { wide: true }),
    column("Groups", "string", "Groups the binding applies to.", { wide: true }),
    column("ServiceAccounts", "string", "Service accounts the binding applies to.", { wide: true }),
  ],
  cells(binding, now) {
    return [
      binding.metadata?.name ?? "",
      `${binding.roleRef?.kind ?? ""}/${binding.roleRef?.name ?? ""}`,
      since(binding.metadata?.creationTimestamp, now),
      ...subjectCells(binding.subjects),
    ];
  },
};
