// The failed-pod backoff (client-go flowcontrol.Backoff as the DaemonSet controller configures it: 1 s doubling to
// 15 min, no jitter) as plain state with time passed in, so planning stays free of clocks.

export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

/** kube-controller-manager: flowcontrol.NewBackOff(1*time.Second, 15*time.Minute). */
export const FAILED_POD_BACKOFF: BackoffSettings = { initialMs: 1000, maxMs: 15 * 60 * 1000 };
/** How often the controller drops idle entries (BackoffGCInterval). */
export const BACKOFF_GC_INTERVAL_MS = 60 * 1000;

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly settings: BackoffSettings = FAILED_POD_BACKOFF) {}

  /** An entry untouched for twice the maximum delay is considered stable and starts over. */
  private expired(entry: Entry, now: number): boolean {
    return now - entry.lastUpdateMs > this.settings.maxMs * 2;
  }

  /** Get: the current delay of `key` (0 when unknown) — what the controller requeues after. */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Next: record an attempt at `now`; the delay starts at the initial value and doubles up to the maximum. */
  next(key: string, now: number): void {
    const entry = this.entries.get(key);
    const backoffMs =
      !entry || this.expired(entry, now)
        ? this.settings.initialMs
        : Math.min(entry.backoffMs * 2, this.settings.maxMs);
    this.entries.set(key, { backoffMs, lastUpdateMs: now });
  }

  /** IsInBackOffSinceUpdate: still within the delay that followed the last attempt. */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) return false;
    return now - entry.lastUpdateMs < entry.backoffMs;
  }

  /** GC: forget entries idle for more than twice the maximum delay. */
  gc(now: number): void {
    for (const [key, entry] of this.entries) if (this.expired(entry, now)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
