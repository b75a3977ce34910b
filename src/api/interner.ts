// One shared, frozen copy of equal JSON values: tens of thousands of cached objects repeat the same parts (the
// tolerations of a DaemonSet's pods, their service-account volume, managed-field tries), and sharing those parts
// is most of what keeps a large cluster's memory down.
import { deepFreeze } from "./object.js";

export class Interner {
  /** Values by their JSON text, most recently used last. */
  private readonly known = new Map<string, unknown>();

  /**
   * `limit` bounds the table: a value pushed out is merely no longer shared with later equal ones. `prepare` runs
   * on a value about to become the shared copy, before it is frozen (equal values found in the table skip it).
   */
  constructor(
    private readonly limit = 1024,
    private readonly prepare?: (value: unknown) => void,
  ) {}

  /**
   * The shared copy of `value` (which becomes it, frozen, when none is known yet). Callers must treat what they
   * get as immutable, as they already treat cached objects.
   */
  intern<T>(value: T): T {
    const text = JSON.stringify(value);
    const found = this.known.get(text);
    if (found !== undefined) {
      this.known.delete(text);
      this.known.set(text, found);
      return found as T;
    }
    this.prepare?.(value);
    deepFreeze(value);
    this.known.set(text, value);
    if (this.known.size > this.limit) this.known.delete(this.known.keys().next().value as string);
    return value;
  }
}
