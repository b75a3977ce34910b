// Shared fixtures for the table tests: a fixed "now" and timestamps relative to it.

export const NOW = Date.parse("2024-06-01T12:00:00Z");

/** The RFC 3339 timestamp `ms` milliseconds before NOW. */
export const ago = (ms: number): string => new Date(NOW - ms).toISOString().replace(".000Z", "Z");

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
