// Exponential backoff between failed list/watch attempts, with client-go's reflector defaults: 800 ms doubling
// to 30 s, up to 100% jitter, starting over after 2 minutes without a failure.

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Each wait is lengthened by up to this fraction of itself, so clients that failed together spread out. */
  jitter?: number;
  /** A failure this long after the previous one starts again from `initialMs`. */
  resetAfterMs?: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly resetAfterMs: number;
  private current = 0;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    options: BackoffOptions = {},
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 1;
    this.resetAfterMs = options.resetAfterMs ?? 120_000;
  }

  /** The wait before the next attempt, after one more failure. */
  next(): number {
    const now = this.now();
    if (this.current === 0 || now - this.lastAt > this.resetAfterMs) this.current = this.initialMs;
    else this.current = Math.min(this.maxMs, this.current * this.factor);
    this.lastAt = now;
    return this.current + this.random() * this.jitter * this.current;
  }

  /** Forgets past failures. */
  reset(): void {
    this.current = 0;
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}
