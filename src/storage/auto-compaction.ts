// Periodic compaction for a long-running server: keeps the newest N revisions of history and drops the rest.
// Nothing starts on its own; the server opts in by calling startAutoCompaction.
import type { Backend } from "./backend.js";

export interface AutoCompactionOptions {
  /** How often to compact (default 5 minutes). */
  intervalMs?: number;
  /** How many recent revisions stay watchable (default 10000). */
  keepRevisions?: number;
  /** Told about failed runs; the timer keeps going. */
  onError?(err: unknown): void;
}

export interface AutoCompaction {
  /** Compacts once now (skipped while a run is in flight); resolves when done. */
  runOnce(): Promise<void>;
  /** Stops the timer; a run already in flight finishes on its own. */
  stop(): void;
}

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60 * 1000;
export const DEFAULT_KEEP_REVISIONS = 10_000;

export function startAutoCompaction(backend: Backend, options: AutoCompactionOptions = {}): AutoCompaction {
  const intervalMs = options.intervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
  const keepRevisions = options.keepRevisions ?? DEFAULT_KEEP_REVISIONS;
  let inFlight: Promise<void> | undefined;

  const compactOnce = async (): Promise<void> => {
    const target = backend.currentRevision() - keepRevisions;
    if (target <= backend.compactedRevision()) return;
    await backend.compact(target);
  };

  const runOnce = (): Promise<void> => {
    inFlight ??= compactOnce()
      .catch((err) => options.onError?.(err))
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const timer = setInterval(() => void runOnce(), intervalMs);
  // Compaction alone must not keep the process alive.
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
