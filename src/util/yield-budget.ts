// Lets long passes over every node or pod give the event loop back every few milliseconds: everything shares one
// thread, so a 300 ms pass over 10,000 nodes would otherwise hold up every API request for 300 ms.
import { setImmediate as nextTurn } from "node:timers/promises";

/** Default slice of uninterrupted work before a pass yields. */
export const DEFAULT_SLICE_MS = 5;

export class YieldBudget {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs = DEFAULT_SLICE_MS) {}

  /**
   * Resolves at once while the current slice lasts; once it has run `sliceMs` (wall time: this is about sharing
   * the thread, not about the simulated clock), it waits one turn of the event loop and starts a new slice.
   */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.sliceStart < this.sliceMs) return;
    await nextTurn();
    this.sliceStart = performance.now();
  }
}
