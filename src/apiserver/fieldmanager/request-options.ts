// The request options that name a field manager: the `fieldManager` parameter (or the product of the
// User-Agent when it is absent, as upstream: "kubectl/v1.32.4 (linux/amd64) …" → "kubectl") and the checks
// upstream's Create/Update/PatchOptions validation makes (apply needs a manager; only apply takes `force`).
import { ApiError, type StatusCause } from "../../api/errors.js";

/** Upstream's FieldManagerMaxLength. */
export const FIELD_MANAGER_MAX_LENGTH = 128;

const isPrintable = (c: string): boolean => /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c);

/** The User-Agent up to the first "/", without unprintable characters, at most 128 bytes. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  let out = "";
  let bytes = 0;
  for (const c of (userAgent ?? "").split("/")[0]) {
    if (!isPrintable(c)) continue;
    const size = Buffer.byteLength(c);
    if (bytes + size > FIELD_MANAGER_MAX_LENGTH) break;
    out += c;
    bytes += size;
  }
  return out;
}

export function managerOrUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  return fieldManager ? fieldManager : managerFromUserAgent(userAgent);
}

export type OptionsKind = "CreateOptions" | "UpdateOptions" | "PatchOptions";

function fieldManagerCauses(fieldManager: string | undefined): StatusCause[] {
  if (!fieldManager) return [];
  const causes: StatusCause[] = [];
  if (Buffer.byteLength(fieldManager) > FIELD_MANAGER_MAX_LENGTH) {
    causes.push({
      reason: "FieldValueTooLong",
      field: "fieldManager",
      message: `Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes`,
    });
  }
  let position = 0;
  for (const c of fieldManager) {
    if (!isPrintable(c)) {
      const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
      causes.push({
        reason: "FieldValueInvalid",
        field: "fieldManager",
        message: `Invalid value: ${JSON.stringify(fieldManager)}: invalid character ${code} (at position ${position})`,
      });
    }
    position += Buffer.byteLength(c);
  }
  return causes;
}

function refuse(kind: OptionsKind, causes: StatusCause[]): void {
  if (causes.length > 0) throw ApiError.invalid(kind, "meta.k8s.io", "", causes);
}

/** Create and update options: a given manager name must be printable and at most 128 bytes. */
export function validateWriteOptions(kind: "CreateOptions" | "UpdateOptions", fieldManager?: string): void {
  refuse(kind, fieldManagerCauses(fieldManager));
}

/** Patch options: apply requires a manager, `force` belongs to apply only. */
export function validatePatchOptions(
  apply: boolean,
  fieldManager: string | undefined,
  force: boolean | undefined,
) {
  const causes: StatusCause[] = [];
  if (!apply && force !== undefined) {
    causes.push({
      reason: "FieldValueForbidden",
      field: "force",
      message: "Forbidden: may not be specified for non-apply patch",
    });
  }
  if (apply && !fieldManager) {
    causes.push({
      reason: "FieldValueRequired",
      field: "fieldManager",
      message: "Required value: is required for apply patch",
    });
  }
  refuse("PatchOptions", [...causes, ...fieldManagerCauses(fieldManager)]);
}
