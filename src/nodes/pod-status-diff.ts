// Whether a stored pod status differs from the one the simulated kubelet would write, looking only at the
// fields the kubelet owns. Conditions are matched by type (the status patch merges them by type, so others'
// conditions stay), and compared on status, reason, message and transition time. The patch that writes a
// status says `null` for a condition's reason or message the kubelet no longer reports, so they go.
import { jsonEqual } from "../api/equal.js";

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

const sameCondition = (a: Condition, b: Condition) =>
  a.status === b.status &&
  (a.reason ?? "") === (b.reason ?? "") &&
  (a.message ?? "") === (b.message ?? "") &&
  a.lastTransitionTime === b.lastTransitionTime;

export function podStatusDiffers(
  current: Record<string, any> | undefined,
  desired: Record<string, any>,
): boolean {
  const stored = current ?? {};
  for (const [field, value] of Object.entries(desired)) {
    if (field === "conditions") continue;
    if (!jsonEqual(stored[field], value)) return true;
  }
  const byType = new Map<string | undefined, Condition>(
    ((stored.conditions ?? []) as Condition[]).map((c) => [c.type, c]),
  );
  return ((desired.conditions ?? []) as Condition[]).some((c) => {
    const before = byType.get(c.type);
    return !before || !sameCondition(before, c);
  });
}

/** The strategic merge patch that makes the stored status `desired` (merged conditions lose stale fields). */
export function podStatusPatch(desired: Record<string, any>): { status: Record<string, unknown> } {
  const conditions = ((desired.conditions ?? []) as Condition[]).map((c) => ({
    ...c,
    reason: c.reason ?? null,
    message: c.message ?? null,
  }));
  return { status: { ...desired, conditions } };
}
