// Structured logging (pino, JSON lines on stderr); the level comes from EVERYNODE_LOG_LEVEL (default info).
// Components nest (the node lifecycle controller runs a taint-eviction controller that runs work queues), and
// pino's own child loggers would then print a key once per level ("controller":"a","controller":"b"), which
// JSON readers collapse to the last. childLogger keeps every key once, joining nested values with "/".
import { type Logger, pino } from "pino";

export type { Logger };

/** Every logger's binding-free ancestor: children are made from it with their full, merged bindings. */
const bareOf = new WeakMap<Logger, Logger>();

export function createLogger(name: string, level = process.env.EVERYNODE_LOG_LEVEL ?? "info"): Logger {
  const bare = pino({ level, base: null }, pino.destination(2));
  const root = bare.child({ component: name });
  bareOf.set(root, bare);
  return root;
}

/** A child of `parent` with `bindings` added; a key the parent already has becomes "parent/child". */
export function childLogger(parent: Logger, bindings: Record<string, string>): Logger {
  const merged: Record<string, unknown> = { ...parent.bindings() };
  for (const [key, value] of Object.entries(bindings)) {
    merged[key] = key in merged ? `${merged[key]}/${value}` : value;
  }
  const bare = bareOf.get(parent);
  // A logger made elsewhere (a test's pino) has no bare ancestor here: fall back to pino's own child.
  if (!bare) return parent.child(bindings);
  const child = bare.child(merged);
  bareOf.set(child, bare);
  return child;
}
