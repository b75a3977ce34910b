// An async mutex per key: callers holding different keys run concurrently, callers of one key run one at a time
// in arrival order. Keys with nobody waiting hold no memory.

export class KeyedMutex {
  /** The tail of each key's chain: resolves when the last holder so far releases. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for `key` and returns its release function (call it exactly once, in a finally). */
  async lock(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      // The last holder of a key removes it, so idle keys cost nothing.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  /** Runs `fn` while holding `key`. */
  async run<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    const release = await this.lock(key);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Resolves once every holder so far, and everyone waiting so far, has released. */
  async idle(): Promise<void> {
    await Promise.all(this.tails.values());
  }

  /** Keys currently held or waited for (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
