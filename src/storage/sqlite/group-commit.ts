// Group commit: write calls queue up and a flush on the next turn of the event loop commits them together,
// so one fsync covers many writes. Each queued operation still gets its own result or error. A committer may
// answer later (once the batch is durable); the next batch is committed meanwhile, so syncs overlap commits.

interface QueuedOp<Op, Result> {
  op: Op;
  resolve(result: Result): void;
  reject(err: unknown): void;
}

/**
 * Commits a batch in one transaction and returns one outcome per operation, in order: the result, or the
 * Error that fails just that operation — or a promise of them, settled once the batch may be acknowledged.
 * Throwing (or rejecting) fails the whole batch.
 */
export type BatchCommitter<Op, Result> = (ops: Op[]) => (Result | Error)[] | Promise<(Result | Error)[]>;

export class GroupCommitQueue<Op, Result> {
  private readonly queue: QueuedOp<Op, Result>[] = [];
  private scheduled = false;

  constructor(
    private readonly commit: BatchCommitter<Op, Result>,
    /** Caps one transaction so a burst is committed (and acknowledged) in steps rather than all at the end. */
    private readonly maxBatchSize: number,
  ) {}

  submit(op: Op): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flushScheduled());
      }
    });
  }

  /** Commits everything queued right now (used on close, so accepted writes are not dropped). */
  drain(): void {
    while (this.queue.length > 0) this.flushOneBatch();
  }

  private flushScheduled(): void {
    this.scheduled = false;
    this.flushOneBatch();
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushScheduled());
    }
  }

  private flushOneBatch(): void {
    const batch = this.queue.splice(0, this.maxBatchSize);
    if (batch.length === 0) return;
    const failAll = (err: unknown) => {
      for (const queued of batch) queued.reject(err);
    };
    const settle = (outcomes: (Result | Error)[]) => {
      batch.forEach((queued, i) => {
        const outcome = outcomes[i];
        if (outcome instanceof Error) queued.reject(outcome);
        else queued.resolve(outcome);
      });
    };
    let outcomes: (Result | Error)[] | Promise<(Result | Error)[]>;
    try {
      outcomes = this.commit(batch.map((queued) => queued.op));
    } catch (err) {
      failAll(err);
      return;
    }
    if (outcomes instanceof Promise) outcomes.then(settle, failAll);
    else settle(outcomes);
  }
}
