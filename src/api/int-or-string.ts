// IntOrString values (maxUnavailable, maxSurge, minAvailable): upstream's intstr.GetScaledValueFromIntOrPercent.

const INT_RE = /^[+-]?[0-9]+$/;

/**
 * An int is taken as is; "N%" is ceil(N * total / 100) (rounding up, as DaemonSet and disruption-budget maths
 * do). Throws with upstream's message for a string that is not a percentage.
 */
export function scaledValueFromIntOrPercent(value: number | string, total: number): number {
  if (typeof value === "number") return Math.trunc(value);
  if (!value.endsWith("%")) {
    throw new Error("invalid value for IntOrString: invalid type: string is not a percentage");
  }
  const digits = value.slice(0, -1);
  if (!INT_RE.test(digits)) {
    throw new Error(
      `invalid value for IntOrString: invalid value "${value}": strconv.Atoi: parsing "${digits}": invalid syntax`,
    );
  }
  return Math.ceil((Number(digits) * total) / 100);
}
