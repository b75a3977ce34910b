// Cell formatting shared by the printers: ages, label maps, container lists, "<none>" placeholders.
import { humanDuration } from "../../api/duration.js";

/** Go's zero time ("0001-01-01T00:00:00Z") is how an unset timestamp sometimes serialises. */
const GO_ZERO_TIME_MS = Date.parse("0001-01-01T00:00:00Z");

/** Milliseconds since the epoch, or undefined for a missing, zero or unreadable timestamp. */
export function timestampMs(timestamp: string | null | undefined): number | undefined {
  if (!timestamp) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) || ms === GO_ZERO_TIME_MS ? undefined : ms;
}

/** Elapsed time since `timestamp` as `kubectl get` prints it ("5m", "3d2h"), "<unknown>" when unset. */
export function since(timestamp: string | null | undefined, now: number): string {
  const ms = timestampMs(timestamp);
  return ms === undefined ? "<unknown>" : humanDuration(now - ms);
}

/** A label map as "k1=v1,k2=v2" sorted by key, "<none>" when empty (labels.FormatLabels). */
export function formatLabels(labels: Record<string, string> | null | undefined): string {
  if (!labels) return "<none>";
  const keys = Object.keys(labels);
  if (keys.length === 0) return "<none>";
  keys.sort();
  return keys.map((k) => `${k}=${labels[k]}`).join(",");
}

/** Container names and images, each comma-joined, for the wide Containers/Images columns. */
export function containerCells(
  containers: { name?: string; image?: string }[] | null | undefined,
): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? "").join(","), list.map((c) => c.image ?? "").join(",")];
}

/** `value`, or `placeholder` when it is empty or missing. */
export function orPlaceholder(value: string | null | undefined, placeholder: string): string {
  return value ? value : placeholder;
}
