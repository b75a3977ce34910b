// Structured logging (pino, JSON lines on stderr); the level comes from EVERYNODE_LOG_LEVEL (default info).
import { type Logger, pino } from "pino";

export type { Logger };

export function createLogger(name: string, level = process.env.EVERYNODE_LOG_LEVEL ?? "info"): Logger {
  return pino({ name, level, base: { component: name } }, pino.destination(2));
}
