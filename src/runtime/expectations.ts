// Controller expectations (upstream pkg/controller/controller_utils.go): how many creates/deletes a
// controller issued but has not yet seen in its informer cache, so it does not act twice on stale data.
import { type Clock, realClock } from "../util/clock.js";

/** Upstream ExpectationsTimeout: after this, unmet expectations are presumed lost and a sync proceeds. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

/** A snapshot of one controller key's outstanding expectations. */
export interface Expectation {
  /** Creations still to be observed. */
  add: number;
  /** Deletions still to be observed. */
  del: number;
  /** When the expectations were last set (clock ms); lowering them does not refresh it. */
  timestamp: number;
}

/** Outstanding create/delete counts per controller key (e.g. a DaemonSet's `namespace/name`). */
export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    protected readonly clock: Clock = realClock,
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
  ) {}

  /** A copy of the expectations recorded for `key`, if any. */
  getExpectations(key: string): Expectation | undefined {
    const found = this.byKey.get(key);
    return found && { ...found };
  }

  /**
   * Whether the controller may sync `key`: true once every expected create and delete was observed,
   * once the expectations are older than the timeout, or when none were ever recorded (a new owner).
   */
  satisfiedExpectations(key: string): boolean {
    const found = this.byKey.get(key);
    if (!found) return true;
    if (found.add <= 0 && found.del <= 0) return true;
    return this.clock.now() - found.timestamp > this.timeoutMs;
  }

  /** Replaces `key`'s expectations with fresh counts and restarts their timeout. */
  setExpectations(key: string, add: number, del: number): void {
    this.byKey.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  expectDeletions(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  /** Decrements the counts (e.g. for creates that were skipped); no-op when nothing is recorded. */
  lowerExpectations(key: string, add: number, del: number): void {
    this.adjust(key, -add, -del);
  }

  /** Increments the counts without restarting the timeout; no-op when nothing is recorded. */
  raiseExpectations(key: string, add: number, del: number): void {
    this.adjust(key, add, del);
  }

  /** An informer saw one of the expected creations. */
  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  /** An informer saw one of the expected deletions. */
  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }

  /** Drops `key` entirely, e.g. when its owner is deleted. */
  deleteExpectations(key: string): void {
    this.byKey.delete(key);
  }

  private adjust(key: string, add: number, del: number): void {
    const found = this.byKey.get(key);
    if (!found) return;
    found.add += add;
    found.del += del;
  }
}

/**
 * Deletion expectations that remember which pods were deleted (upstream UIDTrackingControllerExpectations),
 * so a pod whose delete is observed twice (deletionTimestamp set, then removed) is counted once.
 */
export class UIDTrackingExpectations extends ControllerExpectations {
  private readonly pendingDeletes = new Map<string, Set<string>>();

  /** Expects the deletion of exactly these pod keys, replacing earlier deletion expectations. */
  expectDeletionsOf(key: string, deletedKeys: readonly string[]): void {
    this.pendingDeletes.set(key, new Set(deletedKeys));
    this.expectDeletions(key, deletedKeys.length);
  }

  /** Records the deletion of `deletedKey` once; unknown or repeated keys are ignored. */
  deletionObservedOf(key: string, deletedKey: string): void {
    const pending = this.pendingDeletes.get(key);
    if (!pending?.delete(deletedKey)) return;
    this.lowerExpectations(key, 0, 1);
  }

  /** The deletions still awaited for `key`. */
  getDeletedKeys(key: string): string[] {
    return [...(this.pendingDeletes.get(key) ?? [])];
  }

  override deleteExpectations(key: string): void {
    this.pendingDeletes.delete(key);
    super.deleteExpectations(key);
  }
}
