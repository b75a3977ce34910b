// The memory backend's recent-event window: one slot per revision in a fixed ring, so the newest `capacity`
// events stay answerable for watch replay and older ones fall off without any copying.
import type { BackendEvent } from "../backend.js";

export class HistoryRing {
  private readonly slots: (BackendEvent | undefined)[];
  private newestRevision = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be >= 1`);
    this.slots = new Array(capacity);
  }

  /** Records the event written at `revision`; revisions arrive consecutively. */
  push(revision: number, event: BackendEvent): void {
    this.slots[revision % this.capacity] = event;
    this.newestRevision = revision;
  }

  /** The newest revision that has already fallen out of the window (0 while nothing has). */
  droppedRevision(): number {
    return Math.max(0, this.newestRevision - this.capacity);
  }

  /** Events in (after, upto] whose key starts with `prefix`, oldest first, at most `limit`. */
  read(prefix: string, after: number, upto: number, limit: number): BackendEvent[] {
    const out: BackendEvent[] = [];
    const last = Math.min(upto, this.newestRevision);
    for (let revision = after + 1; revision <= last && out.length < limit; revision++) {
      const event = this.slots[revision % this.capacity];
      if (event?.kv.key.startsWith(prefix)) out.push(event);
    }
    return out;
  }
}
