// Table tests for DaemonSet history: hashing, revision data, constructHistory plans and cleanupHistory.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  canonicalJson,
  computeHash,
  controllerRevisionData,
  fnv1a32,
  liveRevisionHashes,
  maxRevision,
  newControllerRevision,
  planCleanupHistory,
  planHistory,
  podsNeedingRelabel,
  revisionMatchesDaemonSet,
} from "./history.js";
import { daemonSet, pod, revision } from "./testing.js";

describe("hashing", () => {
  it("is FNV-1a over bytes", () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    assert.equal(fnv1a32(bytes("")), 0x811c9dc5);
    assert.equal(fnv1a32(bytes("a")), 0xe40c292c);
    assert.equal(fnv1a32(bytes("foobar")), 0xbf9cf968);
    assert.equal(fnv1a32(bytes("bar"), fnv1a32(bytes("foo"))), 0xbf9cf968);
  });
  it("spells the decimal hash in upstream's digit alphabet", () => {
    assert.match(computeHash(daemonSet().spec.template), /^[456789bcdf]{1,10}$/);
  });
  it("is stable and ignores key order", () => {
    const a = { metadata: { labels: { x: "1", y: "2" } }, spec: { containers: [{ name: "c", image: "i" }] } };
    const b = { spec: { containers: [{ image: "i", name: "c" }] }, metadata: { labels: { y: "2", x: "1" } } };
    assert.equal(computeHash(a), computeHash(b));
    assert.equal(canonicalJson(a), canonicalJson(b));
  });
  it("changes with the template and with the collision count", () => {
    const template = daemonSet().spec.template;
    const other = daemonSet({ image: "fluentd:v2" }).spec.template;
    const hashes = new Set([
      computeHash(template),
      computeHash(other),
      computeHash(template, 0),
      computeHash(template, 1),
      computeHash(template, 2),
    ]);
    assert.equal(hashes.size, 5, "an unset count differs from 0, as upstream's nil does");
  });
});

describe("revision data", () => {
  const ds = daemonSet();
  it("is the template patch with sorted keys", () => {
    assert.equal(
      controllerRevisionData(ds).raw,
      '{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"fluentd"}},"spec":{"containers":[{"image":"fluentd:v1","name":"fluentd"}]}}}}',
    );
  });
  it("matches a revision of the same template whatever its key order", () => {
    const cr = revision("fluentd-1", { revision: 1 });
    const { metadata, spec } = ds.spec.template;
    cr.data = { spec: { template: { spec, $patch: "replace", metadata } } };
    assert.equal(revisionMatchesDaemonSet(ds, cr), true);
    assert.equal(revisionMatchesDaemonSet(daemonSet({ image: "fluentd:v2" }), cr), false);
  });
  it("newControllerRevision names, labels and owns the revision", () => {
    const withCause = daemonSet({ annotations: { "kubernetes.io/change-cause": "kubectl set image" } });
    const cr = newControllerRevision(withCause, "5f7c8", 4);
    assert.deepEqual(cr.metadata, {
      name: "fluentd-5f7c8",
      namespace: "kube-system",
      labels: { app: "fluentd", "controller-revision-hash": "5f7c8" },
      annotations: {
        "kubernetes.io/change-cause": "kubectl set image",
        "deprecated.daemonset.template.generation": "1",
      },
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "DaemonSet",
          name: "fluentd",
          uid: "uid-ds-fluentd",
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    assert.equal(cr.revision, 4);
    assert.deepEqual(cr.data, controllerRevisionData(withCause).data);
    assert.equal(cr.kind, "ControllerRevision");
  });
});

describe("planHistory", () => {
  const ds = daemonSet();
  const otherTemplate = daemonSet({ image: "fluentd:v0" });

  it("creates revision 1 when there is none", () => {
    const plan = planHistory(ds, []);
    const hash = computeHash(ds.spec.template);
    assert.equal(plan.hash, hash);
    assert.equal(plan.toCreate?.metadata.name, `fluentd-${hash}`);
    assert.equal(plan.toCreate?.revision, 1);
    assert.equal(plan.current, undefined);
    assert.deepEqual(plan.duplicatesToDelete, []);
  });
  it("numbers a new revision after the old ones and hashes in the collision count", () => {
    const collided = daemonSet({ collisionCount: 1 });
    const plan = planHistory(collided, [
      revision("fluentd-a", { revision: 1, of: otherTemplate }),
      revision("fluentd-b", { revision: 4 }),
    ]);
    assert.equal(plan.toCreate?.revision, 5);
    assert.equal(plan.hash, computeHash(collided.spec.template, 1));
    assert.deepEqual(
      plan.old.map((r) => r.metadata?.name),
      ["fluentd-a", "fluentd-b"],
    );
  });
  it("finds the current revision and leaves it alone when it is the newest", () => {
    const plan = planHistory(ds, [
      revision("fluentd-a", { revision: 1, of: otherTemplate }),
      revision("fluentd-c", { revision: 2, of: ds }),
    ]);
    assert.equal(plan.current?.metadata?.name, "fluentd-c");
    assert.equal(plan.hash, "c");
    assert.equal(plan.toCreate, undefined);
    assert.equal(plan.renumberTo, undefined);
    assert.equal(plan.relabelPodsTo, undefined);
  });
  it("renumbers on rollback: 1(A), 2(B), back to A → A becomes 3", () => {
    const plan = planHistory(ds, [
      revision("fluentd-a", { revision: 1, of: ds }),
      revision("fluentd-b", { revision: 2, of: otherTemplate }),
    ]);
    assert.equal(plan.current?.metadata?.name, "fluentd-a");
    assert.equal(plan.renumberTo, 3);
    assert.deepEqual(
      plan.old.map((r) => r.metadata?.name),
      ["fluentd-b"],
    );
  });
  it("deduplicates current revisions: keeps the highest, relabels pods, deletes the rest", () => {
    const plan = planHistory(ds, [
      revision("fluentd-x", { revision: 3, of: ds }),
      revision("fluentd-old", { revision: 1, of: otherTemplate }),
      revision("fluentd-y", { revision: 2, of: ds }),
    ]);
    assert.equal(plan.current?.metadata?.name, "fluentd-x");
    assert.equal(plan.relabelPodsTo, "x");
    assert.deepEqual(plan.duplicatesToDelete, ["fluentd-y"]);
    assert.equal(plan.renumberTo, undefined);
  });
  it("on a revision tie keeps the later one", () => {
    const plan = planHistory(ds, [
      revision("fluentd-x", { revision: 2, of: ds }),
      revision("fluentd-y", { revision: 2, of: ds }),
    ]);
    assert.equal(plan.current?.metadata?.name, "fluentd-y");
    assert.deepEqual(plan.duplicatesToDelete, ["fluentd-x"]);
  });
  it("labels revisions missing the hash with their own name", () => {
    const plan = planHistory(ds, [
      revision("fluentd-old", { revision: 1, hash: null, of: otherTemplate }),
      revision("fluentd-cur", { revision: 2, hash: null, of: ds }),
    ]);
    assert.deepEqual(plan.labelsToAdd, [
      { name: "fluentd-old", hash: "fluentd-old" },
      { name: "fluentd-cur", hash: "fluentd-cur" },
    ]);
    assert.equal(plan.hash, "fluentd-cur");
    assert.equal(plan.old[0].metadata?.labels?.["controller-revision-hash"], "fluentd-old");
  });
  it("maxRevision", () => {
    assert.equal(maxRevision([]), 0);
    assert.equal(maxRevision([revision("a-1", { revision: 7 }), revision("a-2", { revision: 3 })]), 7);
  });
});

describe("relabelling and live hashes", () => {
  const pods = [
    pod("p1", { node: "n1", hash: "x" }),
    pod("p2", { node: "n2", hash: "y" }),
    pod("p3", { node: "n3" }),
    pod("p4", { node: "n4", hash: "" }),
  ];
  it("podsNeedingRelabel lists pods with another or no hash", () => {
    assert.deepEqual(podsNeedingRelabel(pods, "x"), ["p2", "p3", "p4"]);
  });
  it("liveRevisionHashes collects the non-empty hashes", () => {
    assert.deepEqual([...liveRevisionHashes(pods)].sort(), ["x", "y"]);
  });
});

describe("planCleanupHistory", () => {
  const old = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      revision(`fluentd-h${count - i}`, { revision: count - i, hash: `h${count - i}` }),
    );
  const cases: { name: string; limit?: number; old: number; live?: string[]; want: string[] }[] = [
    { name: "within the limit", old: 10, want: [] },
    {
      name: "two over the default limit: lowest revisions first",
      old: 12,
      want: ["fluentd-h1", "fluentd-h2"],
    },
    {
      name: "a live hash is skipped and the next one taken",
      old: 12,
      live: ["h1"],
      want: ["fluentd-h2", "fluentd-h3"],
    },
    {
      name: "limit 0 deletes every revision no pod carries",
      old: 3,
      limit: 0,
      live: ["h2"],
      want: ["fluentd-h1", "fluentd-h3"],
    },
    {
      name: "fewer deletions when live hashes are in the way",
      old: 3,
      limit: 1,
      live: ["h1", "h2", "h3"],
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ds = daemonSet({ revisionHistoryLimit: c.limit ?? 10 });
      if (c.limit === undefined) delete ds.spec.revisionHistoryLimit;
      assert.deepEqual(planCleanupHistory(ds, old(c.old), new Set(c.live ?? [])), c.want);
    });
  }
});
