// The kubelet's per-item back-off (client-go util/flowcontrol.Backoff without jitter): used for crash-looping
// containers and for failing image pulls, both starting at 10 s and doubling up to 5 min. An entry older than
// twice the maximum counts as stable again and starts over.

export const KUBELET_BACKOFF_INITIAL_MS = 10_000;
export const KUBELET_BACKOFF_MAX_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class KubeletBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = KUBELET_BACKOFF_INITIAL_MS,
    private readonly maxMs = KUBELET_BACKOFF_MAX_MS,
  ) {}

  /** The current back-off of `id` (0 when it has none). */
  get(id: string): number {
    return this.entries.get(id)?.backoffMs ?? 0;
  }

  /** Records one more failure at `now`: the first (or first after a stable spell) waits initialMs, then doubles. */
  next(id: string, now: number): void {
    const entry = this.entries.get(id);
    if (!entry || this.expired(now, entry)) {
      this.entries.set(id, { backoffMs: this.initialMs, lastUpdate: now });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.maxMs);
    entry.lastUpdate = now;
  }

  /** Whether an event at `eventTime` (a container's finish) is still inside its back-off at `now`. */
  isInBackOffSince(id: string, eventTime: number, now: number): boolean {
    const entry = this.entries.get(id);
    if (!entry || this.expired(eventTime, entry)) return false;
    return now - eventTime < entry.backoffMs;
  }

  /** Whether `now` is still inside the back-off that started at the last recorded failure. */
  isInBackOffSinceUpdate(id: string, now: number): boolean {
    const entry = this.entries.get(id);
    if (!entry || this.expired(now, entry)) return false;
    return now - entry.lastUpdate < entry.backoffMs;
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  private expired(eventTime: number, entry: Entry): boolean {
    return eventTime - entry.lastUpdate > this.maxMs * 2;
  }
}
