// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package does it, so several
// copies of a controller (or several everynode API servers over one etcd) run their loops in one place only:
// acquire the Lease once its holder has not renewed it for leaseDuration, renew it every retryPeriod, give up
// leading when a renewal has not succeeded for renewDeadline, and hand the Lease back on a clean stop.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { isAlreadyExists, isConflict, isNotFound } from "../api/errors.js";
import { microTime, parseTime } from "../api/kube-time.js";
import type { KubeObject } from "../api/object.js";
import { LEASES } from "../api/resources.js";
import type { Client } from "../client/client.js";
import { type Clock, realClock, sleep, type Timer, untilAborted } from "../util/clock.js";
import type { Logger } from "../util/log.js";

export interface LeaderElectionOptions {
  client: Client;
  /** Where the Lease lives, e.g. kube-system/kube-controller-manager. */
  namespace: string;
  name: string;
  /** Who is asking; unique per process (client-go's default is the host name and a UUID). */
  identity?: string;
  /** How long a holder's Lease stays valid without renewal (client-go's default 15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it stops leading (10 s). */
  renewDeadlineMs?: number;
  /** How often to try to acquire or renew (2 s). */
  retryPeriodMs?: number;
  clock?: Clock;
  logger: Logger;
}

export const LEADER_ELECTION_DEFAULTS = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/** How a term of leadership ended: asked to stop, Lease lost, or the leader's work ended by itself. */
export type LeadershipEnd = "stopped" | "lost" | "failed";

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

const defaultIdentity = (): string => `${hostname()}_${randomUUID()}`;

export class LeaderElector {
  readonly identity: string;
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  /** The Lease as last read, and when this process first saw that version (validity counts from then). */
  private observed: { lease: KubeObject; at: number } | undefined;
  /** The last round failed on an error (not a rival holding the Lease). */
  private failing = false;

  constructor(private readonly o: LeaderElectionOptions) {
    this.identity = o.identity ?? defaultIdentity();
    this.clock = o.clock ?? realClock;
    this.leaseDurationMs = o.leaseDurationMs ?? LEADER_ELECTION_DEFAULTS.leaseDurationMs;
    this.renewDeadlineMs = o.renewDeadlineMs ?? LEADER_ELECTION_DEFAULTS.renewDeadlineMs;
    this.retryPeriodMs = o.retryPeriodMs ?? LEADER_ELECTION_DEFAULTS.retryPeriodMs;
    if (!(this.leaseDurationMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryPeriodMs)) {
      throw new Error(
        "leader election needs lease duration > renew deadline > retry period (defaults 15s, 10s, 2s)",
      );
    }
    // The Lease records whole seconds; a shorter duration would read as already expired to every candidate.
    if (this.leaseDurationMs < 1000) throw new Error("leader election needs a lease duration of at least 1s");
  }

  /** The holder of the Lease as last read ("" when none), for messages. */
  get observedHolder(): string {
    return leaseSpec(this.observed?.lease).holderIdentity ?? "";
  }

  /**
   * Waits to acquire the Lease, then runs `lead` until `signal` aborts ("stopped": the Lease is handed back), no
   * renewal succeeds for renewDeadline ("lost"), or `lead` ends by itself ("failed": the Lease is handed back so
   * that another candidate takes over). `lead`'s signal aborts when its term ends: a renewal still in flight then
   * does not keep it leading, and its writes should stop (see fencedClient). Settles once `lead` has returned.
   */
  async run(signal: AbortSignal, lead: (signal: AbortSignal) => Promise<void>): Promise<LeadershipEnd> {
    const where = `${this.o.namespace}/${this.o.name}`;
    this.o.logger.info({ lease: where, identity: this.identity }, "attempting to acquire the leader lease");
    while (!(await this.tryAcquireOrRenew())) {
      if (!(await sleep(this.clock, this.retryPeriodMs, signal))) return "stopped";
    }
    if (signal.aborted) {
      await this.release();
      return "stopped";
    }
    this.o.logger.info({ lease: where, identity: this.identity }, "acquired the leader lease");
    const term = new AbortController();
    let end = "stopped" as LeadershipEnd;
    const endTerm = (how: LeadershipEnd, reason?: unknown) => {
      if (term.signal.aborted) return;
      end = how;
      term.abort(reason);
    };
    const onStop = () => endTerm("stopped", signal.reason);
    signal.addEventListener("abort", onStop, { once: true });
    // As client-go's renew context: the term ends renewDeadline after the last successful renewal, whatever
    // requests are still in flight.
    let deadline: Timer | undefined;
    const armDeadline = () => {
      if (deadline) this.clock.clearTimeout(deadline);
      deadline = this.clock.setTimeout(() => {
        this.o.logger.error(
          { lease: where, identity: this.identity, holder: this.observedHolder },
          "leader lease lost: could not renew it within the renew deadline",
        );
        endTerm("lost", new Error(`lost the leader lease ${where}`));
      }, this.renewDeadlineMs);
    };
    armDeadline();
    const leading = Promise.resolve()
      .then(() => lead(term.signal))
      .catch((err: unknown) => this.o.logger.error({ err }, "the leader's work failed"))
      .then(() => endTerm("failed"));
    const termEnded = untilAborted(term.signal).then(() => false);
    while (await sleep(this.clock, this.retryPeriodMs, term.signal)) {
      // A round that hangs must not hold the term open: its answer is dropped once the term has ended.
      const renewed = await Promise.race([this.tryAcquireOrRenew(), termEnded]);
      if (renewed && !term.signal.aborted) armDeadline();
    }
    if (deadline) this.clock.clearTimeout(deadline);
    signal.removeEventListener("abort", onStop);
    await leading;
    if (end !== "lost") await this.release();
    return end;
  }

  /** One round of client-go's tryAcquireOrRenew: true when this process holds the Lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const { client, namespace, name } = this.o;
    let lease: KubeObject;
    try {
      lease = await client.get(LEASES, namespace, name);
    } catch (err) {
      if (!isNotFound(err)) return this.failedRound(err);
      try {
        const created = await client.create(LEASES, namespace, {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name, namespace },
          spec: this.record(now, now, 0),
        });
        this.observe(created, now);
        return true;
      } catch (e) {
        return isAlreadyExists(e) ? false : this.failedRound(e);
      }
    }
    if (this.observed?.lease.metadata.resourceVersion !== lease.metadata.resourceVersion)
      this.observe(lease, now);
    const held = leaseSpec(lease);
    const holder = held.holderIdentity ?? "";
    const validUntil = (this.observed?.at ?? now) + (held.leaseDurationSeconds ?? 0) * 1000;
    if (holder !== "" && holder !== this.identity && validUntil > now) return false;
    const renewing = holder === this.identity;
    const spec = renewing
      ? this.record(parseTime(held.acquireTime) ?? now, now, held.leaseTransitions ?? 0)
      : this.record(now, now, (held.leaseTransitions ?? 0) + 1);
    try {
      const updated = await client.update(LEASES, namespace, { ...lease, spec });
      this.observe(updated, now);
      return true;
    } catch (err) {
      return isConflict(err) ? false : this.failedRound(err);
    }
  }

  /** Hands the Lease back so another candidate need not wait out its duration (client-go's ReleaseOnCancel). */
  private async release(): Promise<void> {
    const lease = this.observed?.lease;
    if (!lease || leaseSpec(lease).holderIdentity !== this.identity) return;
    const now = this.clock.now();
    const spec = { ...this.record(now, now, leaseSpec(lease).leaseTransitions ?? 0), holderIdentity: "" };
    spec.leaseDurationSeconds = 1;
    try {
      await this.o.client.update(LEASES, this.o.namespace, { ...lease, spec });
    } catch (err) {
      this.o.logger.warn({ err }, "could not hand back the leader lease; it expires by itself");
    }
  }

  private record(acquiredAt: number, renewedAt: number, transitions: number): LeaseSpec {
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: microTime(acquiredAt),
      renewTime: microTime(renewedAt),
      leaseTransitions: transitions,
    };
  }

  private observe(lease: KubeObject, at: number): void {
    this.observed = { lease, at };
    this.failing = false;
  }

  /** Logs a round that failed for another reason than a rival: loudly the first time in a row, then quietly. */
  private failedRound(err: unknown): false {
    const fields = { err, lease: `${this.o.namespace}/${this.o.name}` };
    if (this.failing) this.o.logger.debug(fields, "leader lease round failed again");
    else this.o.logger.warn(fields, "leader lease round failed (check access to leases in that namespace)");
    this.failing = true;
    return false;
  }
}

const leaseSpec = (lease: KubeObject | undefined): LeaseSpec => (lease?.spec ?? {}) as LeaseSpec;
