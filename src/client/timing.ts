// Time for the client and the informers (rate limits, backoff, watch lifetimes), behind one small interface so
// tests drive it with a fake clock instead of sleeping.

/** A clock that can also wait. */
export interface Timer {
  now(): number;
  /** Waits `ms`; resolves true when the time passed, false as soon as `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/** Waits `ms` on the real clock; an abort ends the wait early (resolving false) rather than throwing. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export const systemTimer: Timer = { now: () => Date.now(), sleep };
