// Counts V8's completed major GCs (mark-compact) from perf_hooks' GC entries: the heap governor asks whether one
// ran while it let the heap grow, and the bench how many fell in its latency window.
import { constants, type PerformanceEntry, PerformanceObserver } from "node:perf_hooks";

export class MajorGcCounter {
  count = 0;
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.count++;
    }
  });

  start(): void {
    this.observer.observe({ entryTypes: ["gc"] });
  }

  stop(): void {
    this.observer.disconnect();
  }
}
