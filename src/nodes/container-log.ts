// The log of one container instance: its script's lines (start-up and periodic ones are generated when read, so
// a hundred thousand idle containers hold no text), plus a bounded list of lines appended as things happen.
// Readers take a snapshot up to "now"; followers wait for new lines until the instance stops.
import { type Clock, sleep } from "../util/clock.js";
import type { LogLine, LogScript } from "./log-profiles.js";

export class ContainerLog {
  private appended: LogLine[] = [];
  private endedAt: number | undefined;
  /** Followers waiting for a line; created on first follow. */
  private waiters: Set<() => void> | undefined;

  /** `scriptOf` is called when the log is read (not when the container starts), so idle containers hold no text. */
  constructor(
    readonly containerID: string,
    readonly startedAt: number,
    private scriptOf: () => LogScript,
    private readonly maxLines: number,
  ) {}

  /** The instance's output is known line by line (its process was followed): it replaces the script. */
  useOutput(lines: readonly LogLine[]): void {
    const script: LogScript = { startup: [...lines], onStop: () => [] };
    this.scriptOf = () => script;
    this.wake();
  }

  private get script(): LogScript {
    return this.scriptOf();
  }

  get ended(): boolean {
    return this.endedAt !== undefined;
  }

  append(t: number, text: string): void {
    if (this.ended) return;
    this.appended.push({ t, text });
    // Trim in batches so that appending stays O(1) amortised.
    if (this.appended.length > this.maxLines * 2) this.appended = this.appended.slice(-this.maxLines);
    this.wake();
  }

  /** The instance stopped at `t` with `exitCode`; its script's last words are written. */
  end(t: number, exitCode: number, extra: string[] = []): void {
    if (this.ended) return;
    for (const line of this.script.onStop(t, exitCode)) this.appended.push(line);
    for (const text of extra) this.appended.push({ t, text });
    this.endedAt = t;
    this.wake();
  }

  /** The instance went away without last words (its pod was deleted): followers end. */
  close(t: number): void {
    if (this.ended) return;
    this.endedAt = t;
    this.wake();
  }

  /** Every line written up to `now` (the last `maxLines`), oldest first. */
  linesUntil(now: number): LogLine[] {
    const until = Math.min(now, this.endedAt ?? now);
    const script = this.script;
    const out: LogLine[] = [];
    for (const line of script.startup) if (line.t <= until) out.push(line);
    const periodic = script.periodic;
    if (periodic) {
      // A loop body runs once at start (before its first sleep), then once per period.
      const count = Math.floor((until - this.startedAt) / periodic.everyMs);
      for (let i = Math.max(0, count - this.maxLines + 1); i <= count && until >= this.startedAt; i++) {
        const t = this.startedAt + i * periodic.everyMs;
        for (const text of periodic.render(t)) out.push({ t, text });
      }
    }
    for (const line of this.appended) if (line.t <= now) out.push(line);
    out.sort((a, b) => a.t - b.t);
    return out.length > this.maxLines ? out.slice(-this.maxLines) : out;
  }

  /** When the next periodic line is due after `now` (undefined if none will come). */
  private nextPeriodicAt(now: number): number | undefined {
    const periodic = this.script.periodic;
    if (!periodic || this.ended) return undefined;
    return this.startedAt + (Math.floor((now - this.startedAt) / periodic.everyMs) + 1) * periodic.everyMs;
  }

  /** Lines written after `cursor` as they come, until the instance stops or `signal` aborts. */
  async *follow(
    clock: Clock,
    signal: AbortSignal | undefined,
    cursor: LogCursor = LOG_START,
  ): AsyncGenerator<LogLine> {
    let at = cursor;
    for (;;) {
      if (signal?.aborted) return;
      const now = clock.now();
      const fresh = linesAfter(this.linesUntil(now), at);
      for (const line of fresh) {
        if (signal?.aborted) return;
        yield line;
      }
      at = advance(at, fresh);
      if (this.ended && linesAfter(this.linesUntil(clock.now()), at).length === 0) return;
      await this.changed(clock, signal, this.nextPeriodicAt(now));
    }
  }

  /** Resolves when a line is appended, the instance ends, `wakeAt` passes or `signal` aborts. */
  private changed(clock: Clock, signal: AbortSignal | undefined, wakeAt: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const stop = new AbortController();
      const done = () => {
        this.waiters?.delete(done);
        signal?.removeEventListener("abort", done);
        stop.abort();
        resolve();
      };
      this.waiters ??= new Set();
      this.waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
      if (wakeAt !== undefined)
        void sleep(clock, Math.max(0, wakeAt - clock.now()), stop.signal).then(
          (elapsed) => elapsed && done(),
        );
    });
  }

  private wake(): void {
    if (this.waiters) for (const w of [...this.waiters]) w();
  }
}

/** A position in a log: after the first `seen` lines stamped `t` (lines are ordered by time). */
export interface LogCursor {
  t: number;
  seen: number;
}

/** Before the first line. */
export const LOG_START: LogCursor = { t: Number.NEGATIVE_INFINITY, seen: 0 };

/** The lines of `lines` (ordered by time) that come after `cursor`. */
export function linesAfter(lines: readonly LogLine[], cursor: LogCursor): LogLine[] {
  let skipAtT = cursor.seen;
  const out: LogLine[] = [];
  for (const line of lines) {
    if (line.t < cursor.t) continue;
    if (line.t === cursor.t && skipAtT > 0) {
      skipAtT--;
      continue;
    }
    out.push(line);
  }
  return out;
}

/** The cursor after also reading `read` (which followed `cursor`). */
export function advance(cursor: LogCursor, read: readonly LogLine[]): LogCursor {
  let { t, seen } = cursor;
  for (const line of read) {
    if (line.t === t) seen++;
    else {
      t = line.t;
      seen = 1;
    }
  }
  return { t, seen };
}
