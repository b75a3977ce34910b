// Apply conflicts: fields another manager owns whose value an apply would change. Internally a list of
// (manager identifier, path); at the API boundary a 409 Conflict whose message and causes are upstream's
// (`Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.…`), which
// kubectl prints as they are.
import { ApiError, type StatusCause } from "../../api/errors.js";
import type { FieldSet } from "./field-set.js";
import { parseManagerIdentifier } from "./managed-fields.js";
import { type FieldPath, pathText } from "./path-element.js";

export interface Conflict {
  /** The manager identifier (see managed-fields.ts). */
  manager: string;
  path: FieldPath;
}

export class ApplyConflicts extends Error {
  constructor(readonly conflicts: readonly Conflict[]) {
    super(conflictMessage(conflicts));
    this.name = "ApplyConflicts";
  }

  /** One conflict per owned path, managers in a stable order. */
  static fromSets(sets: Map<string, FieldSet>): ApplyConflicts {
    const conflicts: Conflict[] = [];
    for (const manager of [...sets.keys()].sort()) {
      for (const path of sets.get(manager)!.paths()) conflicts.push({ manager, path });
    }
    return new ApplyConflicts(conflicts);
  }

  toApiError(): ApiError {
    const causes: StatusCause[] = this.conflicts.map((c) => ({
      reason: "FieldManagerConflict",
      message: `conflict with ${printManager(c.manager)}`,
      field: pathText(c.path),
    }));
    return new ApiError(409, "Conflict", this.message, { causes });
  }
}

/** `"kubectl"`, `"x" with subresource "status"`, `"kubectl-client-side-apply" using apps/v1`. */
function printManager(identifier: string): string {
  let id: ReturnType<typeof parseManagerIdentifier>;
  try {
    id = parseManagerIdentifier(identifier);
  } catch {
    return JSON.stringify(identifier);
  }
  let text = JSON.stringify(id.manager);
  if (id.subresource) text += ` with subresource ${JSON.stringify(id.subresource)}`;
  if (id.operation === "Update") text += ` using ${id.apiVersion}`;
  return text;
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const [c] = conflicts;
    return `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathText(c.path)}`;
  }
  const byManager = new Map<string, FieldPath[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(manager)}:`);
    for (const path of byManager.get(manager)!) lines.push(`- ${pathText(path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}
