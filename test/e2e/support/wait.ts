// Polls a condition in short steps instead of sleeping a fixed time; fails with the last observation.

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Shown when the wait times out, e.g. the output collected so far. */
  detail?: () => string;
}

export async function waitFor<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, detail } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail?.() ?? ""}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Reads until the value has not changed for `quietMs` (one second by default, several reads), so a snapshot is
 * not taken in a pause between two controller writes (for example DaemonSet status after pods start); returns
 * that settled value.
 */
export async function waitForStable<T>(
  what: string,
  read: () => Promise<T>,
  options: WaitOptions & { quietMs?: number } = {},
): Promise<T> {
  const { intervalMs = 200, quietMs = 1000 } = options;
  let previous = JSON.stringify(await read());
  let unchangedSince = Date.now();
  return waitFor(
    `${what} to settle`,
    async () => {
      await new Promise((r) => setTimeout(r, intervalMs));
      const value = await read();
      const text = JSON.stringify(value);
      if (text !== previous) {
        previous = text;
        unchangedSince = Date.now();
        return undefined;
      }
      return Date.now() - unchangedSince >= quietMs ? { value } : undefined;
    },
    { ...options, intervalMs: 0 },
  ).then((r) => r.value);
}
