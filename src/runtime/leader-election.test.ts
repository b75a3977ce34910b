// Leader election against a real in-process control plane, with time on a FakeClock: a lone candidate creates
// the Lease, a held Lease is taken only once it has gone unrenewed for its duration, the leader renews, loses the
// Lease to a rival after the renew deadline, and hands it back on a clean stop.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { eventually, TestCluster } from "../../test/support/test-cluster.js";
import { microTime } from "../api/kube-time.js";
import type { KubeObject } from "../api/object.js";
import { LEASES } from "../api/resources.js";
import { LocalClient } from "../apiserver/local-client.js";
import { FakeClock, untilAborted } from "../util/clock.js";
import { createLogger } from "../util/log.js";
import { type LeaderElectionOptions, LeaderElector, type LeadershipEnd } from "./leader-election.js";
import { settle } from "./testing.js";

const logger = createLogger("leader-election-test", "silent");
const NS = "kube-system";
const NAME = "everynode-daemonset-controller";
const START = Date.parse("2026-01-01T00:00:00Z");

describe("LeaderElector", () => {
  let cluster: TestCluster;
  let client: LocalClient;
  let clock: FakeClock;

  beforeEach(async () => {
    cluster = await TestCluster.start();
    client = new LocalClient(cluster.cp.registry);
    clock = new FakeClock(START);
  });
  afterEach(() => cluster.stop());

  const elector = (identity: string) =>
    new LeaderElector({ client, namespace: NS, name: NAME, identity, clock, logger });
  const lease = (): Promise<KubeObject> => client.get(LEASES, NS, NAME);
  /** Moves fake time on and lets the elector's requests (real, in-process) finish. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    for (let i = 0; i < 20; i++) await settle();
  };

  /** Starts `e`; `leading` turns true while its work runs. */
  function campaign(e: LeaderElector) {
    const stop = new AbortController();
    const state = { leading: false, termSignal: undefined as AbortSignal | undefined };
    const ended: Promise<LeadershipEnd> = e.run(stop.signal, async (signal) => {
      state.leading = true;
      state.termSignal = signal;
      await untilAborted(signal);
      state.leading = false;
    });
    return { stop, state, ended };
  }

  it("a lone candidate creates the Lease and leads; a clean stop hands the Lease back", async () => {
    const a = campaign(elector("a"));
    await eventually(() => a.state.leading, 5000, "a to lead");
    const held = await lease();
    assert.deepEqual(held.spec, {
      holderIdentity: "a",
      leaseDurationSeconds: 15,
      acquireTime: microTime(START),
      renewTime: microTime(START),
      leaseTransitions: 0,
    });
    a.stop.abort();
    assert.equal(await a.ended, "stopped");
    assert.equal(a.state.leading, false);
    const released = (await lease()).spec;
    assert.equal(released.holderIdentity, "");
    assert.equal(released.leaseDurationSeconds, 1);
  });

  it("the leader renews every retry period and keeps its acquire time", async () => {
    const a = campaign(elector("a"));
    await eventually(() => a.state.leading, 5000, "a to lead");
    await advance(2000);
    await eventually(
      async () => (await lease()).spec.renewTime === microTime(START + 2000),
      5000,
      "a renewal",
    );
    assert.equal((await lease()).spec.acquireTime, microTime(START));
    a.stop.abort();
    await a.ended;
  });

  it("a Lease held by another is taken only after it has gone unrenewed for its duration", async () => {
    await client.create(LEASES, NS, {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: NAME, namespace: NS },
      spec: {
        holderIdentity: "gone",
        leaseDurationSeconds: 15,
        renewTime: microTime(START),
        leaseTransitions: 3,
      },
    });
    const b = campaign(elector("b"));
    await advance(0);
    for (let waited = 0; waited < 14_000; waited += 2000) {
      await advance(2000);
      assert.equal(b.state.leading, false, `still waiting after ${waited + 2000} ms`);
    }
    await advance(2000);
    await eventually(() => b.state.leading, 5000, "b to lead once the Lease expired");
    const taken = (await lease()).spec;
    assert.equal(taken.holderIdentity, "b");
    assert.equal(taken.leaseTransitions, 4);
    b.stop.abort();
    await b.ended;
  });

  it("a leader whose Lease a rival took stops leading after the renew deadline, and does not hand it back", async () => {
    const a = campaign(elector("a"));
    await eventually(() => a.state.leading, 5000, "a to lead");
    const current = await lease();
    await client.update(LEASES, NS, {
      ...current,
      spec: { ...current.spec, holderIdentity: "rival", renewTime: microTime(clock.now()) },
    });
    for (let i = 0; i < 4; i++) await advance(2000);
    assert.equal(a.state.leading, true, "within the renew deadline it still leads");
    await advance(2000);
    assert.equal(await a.ended, "lost");
    assert.equal(a.state.leading, false);
    assert.ok(a.state.termSignal?.aborted);
    assert.equal((await lease()).spec.holderIdentity, "rival");
  });

  it("a renewal that never answers does not keep the leader leading past the renew deadline", async () => {
    let hang = false;
    const hanging = new Proxy(client, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (property !== "get" || typeof value !== "function")
          return typeof value === "function" ? value.bind(target) : value;
        return (...args: unknown[]) => (hang ? new Promise(() => {}) : value.apply(target, args));
      },
    });
    const a = campaign(
      new LeaderElector({ client: hanging, namespace: NS, name: NAME, identity: "a", clock, logger }),
    );
    await eventually(() => a.state.leading, 5000, "a to lead");
    hang = true;
    for (let i = 0; i < 4; i++) await advance(2000);
    assert.equal(a.state.leading, true, "within the renew deadline it still leads");
    await advance(2000);
    assert.equal(await a.ended, "lost");
    assert.ok(a.state.termSignal?.aborted);
  });

  it("a leader whose work ends by itself hands the Lease back, so another candidate can lead", async () => {
    const e = elector("a");
    const stop = new AbortController();
    const ended = e.run(stop.signal, async () => {
      throw new Error("informers failed");
    });
    assert.equal(await ended, "failed");
    assert.equal((await lease()).spec.holderIdentity, "");
  });

  it("a stop that comes while acquiring never starts the work", async () => {
    const stop = new AbortController();
    let started = false;
    const ended = elector("a").run(stop.signal, async () => {
      started = true;
    });
    stop.abort();
    assert.equal(await ended, "stopped");
    assert.equal(started, false);
    assert.equal((await lease()).spec.holderIdentity, "", "the Lease it had just taken is handed back");
  });

  const refused: [string, Partial<LeaderElectionOptions>, RegExp][] = [
    [
      "a renew deadline as long as the lease",
      { leaseDurationMs: 5000, renewDeadlineMs: 5000 },
      /lease duration > renew deadline > retry period/,
    ],
    [
      "a lease under a second",
      { leaseDurationMs: 900, renewDeadlineMs: 500, retryPeriodMs: 100 },
      /a lease duration of at least 1s/,
    ],
  ];
  for (const [what, timings, message] of refused) {
    it(`refuses timings where the lease would lapse before the leader gives up: ${what}`, () => {
      assert.throws(
        () => new LeaderElector({ client, namespace: NS, name: NAME, logger, ...timings }),
        message,
      );
    });
  }
});
