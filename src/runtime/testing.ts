// Test helpers for the runtime's unit tests: let pending promise chains run, and capture log lines.
import { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger } from "../util/log.js";

/** Resolves after every promise callback queued so far (and those they queue) has run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface CapturedLogs {
  logger: Logger;
  /** Parsed JSON log records, oldest first. */
  records: Array<Record<string, unknown>>;
}

/** A debug-level pino logger that keeps its records in memory instead of writing to stderr. */
export function captureLogger(): CapturedLogs {
  const records: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      records.push(JSON.parse(String(chunk)));
      callback();
    },
  });
  return { logger: pino({ level: "debug" }, sink), records };
}
