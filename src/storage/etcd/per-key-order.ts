// Keeps writes to one key in the order they were issued. etcd serves concurrent requests in any order, so two
// writes to the same key sent together could otherwise land reversed (a delete before the create it follows);
// writes to different keys still run side by side.

export class PerKeyOrder {
  /** The last task queued for each key that still has one pending. */
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous ? previous.then(task) : task();
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    await Promise.all(this.tails.values());
  }
}
