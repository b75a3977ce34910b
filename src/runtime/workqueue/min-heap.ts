// Binary min-heap ordered by a caller-supplied comparison; backs the delaying queue's waiting list.

export class MinHeap<E> {
  private readonly items: E[] = [];

  /** `before(a, b)` is true when `a` must come out ahead of `b`. */
  constructor(private readonly before: (a: E, b: E) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): E | undefined {
    return this.items[0];
  }

  push(entry: E): void {
    this.items.push(entry);
    this.siftUp(this.items.length - 1);
  }

  pop(): E | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Restores order after `entry`'s key moved earlier (the only change the delaying queue makes). */
  movedEarlier(entry: E): void {
    const index = this.items.indexOf(entry);
    if (index >= 0) this.siftUp(index);
  }

  clear(): void {
    this.items.length = 0;
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.before(this.items[child], this.items[parent])) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    let parent = index;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let first = parent;
      if (left < this.items.length && this.before(this.items[left], this.items[first])) first = left;
      if (right < this.items.length && this.before(this.items[right], this.items[first])) first = right;
      if (first === parent) return;
      this.swap(parent, first);
      parent = first;
    }
  }

  private swap(i: number, j: number): void {
    [this.items[i], this.items[j]] = [this.items[j], this.items[i]];
  }
}
