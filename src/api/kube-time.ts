// Time stamps as Kubernetes writes them: metav1.Time (RFC 3339, seconds), metav1.MicroTime (microseconds) and
// the RFC 3339 nano form the kubelet prefixes log lines with; all from epoch milliseconds.

/** metav1.Time: second precision, e.g. "2024-05-01T10:00:00Z". */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** metav1.MicroTime: always six fractional digits, e.g. "2024-05-01T10:00:00.123000Z". */
export function microTime(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Go's time.RFC3339Nano: fractional seconds with trailing zeros dropped ("…:00.12Z", "…:00Z"). */
export function rfc3339Nano(ms: number): string {
  return new Date(Math.floor(ms))
    .toISOString()
    .replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : "Z"));
}

/** Epoch milliseconds of an RFC 3339 time, or undefined when absent or unreadable. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
