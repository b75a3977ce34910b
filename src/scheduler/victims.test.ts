// Table tests of SelectVictimsOnNode: only strictly lower priorities are victims, the fewest pods go (lowest
// priority first, the most important reprieved first), PodDisruptionBudgets are respected where possible, and
// nominated pods keep their room.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api/object.js";
import { accountFromInfo, podInfo } from "./pod-info.js";
import { testNode, testNodeInfo, testPod } from "./testing.js";
import { byImportance, filterPodsWithPDBViolation, selectVictimsOnNode } from "./victims.js";

const NOW = Date.parse("2026-05-01T12:00:00Z");
const small = { cpu: "4", memory: "8Gi", pods: "110" };

/** A pod of `priority` requesting `cpu`, started `startedMinutesAgo` (undefined: not started). */
function pod(
  name: string,
  priority: number,
  cpu: string,
  o: { startedMinutesAgo?: number; labels?: Record<string, string> } = {},
): KubeObject {
  const p = testPod(name, { priority }, { cpu });
  p.metadata.name = name;
  if (o.labels) p.metadata.labels = o.labels;
  if (o.startedMinutesAgo !== undefined)
    p.status = { startTime: new Date(NOW - o.startedMinutesAgo * 60_000).toISOString() };
  return p;
}

const pdb = (
  selector: Record<string, string> | null,
  disruptionsAllowed: number,
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name: "budget", namespace: "default" },
  spec: selector ? { selector: { matchLabels: selector } } : {},
  status: { disruptionsAllowed, ...extra },
});

function victimsFor(
  preemptor: KubeObject,
  onNode: KubeObject[],
  pdbs: KubeObject[] = [],
  nominated: KubeObject[] = [],
) {
  const node = testNodeInfo(testNode("n1", { allocatable: small }), onNode);
  const nominatedAccounts = nominated.map((p) => accountFromInfo(podInfo(p), "n1"));
  const result = selectVictimsOnNode(podInfo(preemptor), node, pdbs, nominatedAccounts, NOW);
  if ("rejection" in result) return { rejected: result.rejection.reasons.join(", ") };
  return {
    victims: result.victims.pods.map((p) => p.pod.metadata.name),
    violations: result.victims.numPDBViolations,
  };
}

describe("selectVictimsOnNode", () => {
  const cases: {
    name: string;
    preemptor: KubeObject;
    onNode: KubeObject[];
    pdbs?: KubeObject[];
    nominated?: KubeObject[];
    want: ReturnType<typeof victimsFor>;
  }[] = [
    {
      name: "evicts the lowest priority first and no more than needed",
      preemptor: pod("critical", 1000, "2"),
      onNode: [pod("a", 1, "1"), pod("b", 5, "1"), pod("c", 3, "1"), pod("d", 2, "1")],
      want: { victims: ["d", "a"], violations: 0 },
    },
    {
      name: "the most important pods are reprieved first, even if a single bigger pod then goes",
      preemptor: pod("critical", 1000, "2"),
      onNode: [pod("big", 1, "2"), pod("s1", 2, "1"), pod("s2", 3, "1")],
      want: { victims: ["big"], violations: 0 },
    },
    {
      name: "equal priority is never a victim (landscape §2.8: upstream behaviour kept)",
      preemptor: pod("ds", 10, "1"),
      onNode: [pod("a", 10, "2"), pod("b", 10, "2")],
      want: { rejected: "No preemption victims found for incoming pod" },
    },
    {
      name: "higher priorities stay even when evicting them would help",
      preemptor: pod("mid", 10, "3"),
      onNode: [pod("low", 1, "1"), pod("high", 100, "3")],
      want: { rejected: "Insufficient cpu" },
    },
    {
      name: "among equal priorities the pod that started later goes",
      preemptor: pod("critical", 1000, "1"),
      onNode: [pod("old", 1, "2", { startedMinutesAgo: 60 }), pod("new", 1, "2", { startedMinutesAgo: 5 })],
      want: { victims: ["new"], violations: 0 },
    },
    {
      name: "a pod a budget protects is spared when another victim will do",
      preemptor: pod("critical", 1000, "1"),
      onNode: [pod("protected", 1, "2", { labels: { app: "db" } }), pod("free", 2, "2")],
      pdbs: [pdb({ app: "db" }, 0) as KubeObject],
      want: { victims: ["free"], violations: 0 },
    },
    {
      name: "budget violations are counted when there is no other way",
      preemptor: pod("critical", 1000, "4"),
      onNode: [pod("protected", 1, "2", { labels: { app: "db" } }), pod("free", 2, "2")],
      pdbs: [pdb({ app: "db" }, 0) as KubeObject],
      want: { victims: ["free", "protected"], violations: 1 },
    },
    {
      name: "nominated pods of higher priority keep their room",
      preemptor: pod("mid", 100, "2"),
      onNode: [pod("low", 1, "2"), pod("high", 200, "2")],
      nominated: [pod("waiting", 150, "1")],
      want: { rejected: "Insufficient cpu" },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(victimsFor(c.preemptor, c.onNode, c.pdbs, c.nominated), c.want));
  }
});

describe("filterPodsWithPDBViolation", () => {
  const accounts = (pods: KubeObject[]) => pods.map((p) => accountFromInfo(podInfo(p), "n1"));
  const names = (r: ReturnType<typeof filterPodsWithPDBViolation>) => ({
    violating: r.violating.map((p) => p.pod.metadata.name),
    nonViolating: r.nonViolating.map((p) => p.pod.metadata.name),
  });
  const web = (name: string) => pod(name, 1, "1", { labels: { app: "web" } });

  it("spends a budget's allowed disruptions in order, then counts violations", () => {
    const r = filterPodsWithPDBViolation(accounts([web("w1"), web("w2"), web("w3")]), [
      pdb({ app: "web" }, 1),
    ]);
    assert.deepEqual(names(r), { violating: ["w2", "w3"], nonViolating: ["w1"] });
  });

  it("ignores budgets with an empty selector, of another namespace, and pods already disrupted", () => {
    const other = { ...pdb({ app: "web" }, 0), metadata: { name: "b", namespace: "other" } };
    const disrupted = pdb({ app: "web" }, 0, { disruptedPods: { w1: "2026-05-01T11:59:00Z" } });
    const r = filterPodsWithPDBViolation(accounts([web("w1"), pod("bare", 1, "1")]), [
      pdb(null, 0),
      other,
      disrupted,
    ]);
    assert.deepEqual(names(r), { violating: [], nonViolating: ["w1", "bare"] });
  });
});

describe("byImportance", () => {
  it("orders by priority, then earliest start, unstarted pods last", () => {
    const sorted = byImportance(
      [
        accountFromInfo(podInfo(pod("unstarted", 5, "1")), "n1"),
        accountFromInfo(podInfo(pod("early", 5, "1", { startedMinutesAgo: 30 })), "n1"),
        accountFromInfo(podInfo(pod("top", 9, "1")), "n1"),
        accountFromInfo(podInfo(pod("late", 5, "1", { startedMinutesAgo: 1 })), "n1"),
      ],
      NOW,
    );
    assert.deepEqual(
      sorted.map((p) => p.pod.metadata.name),
      ["top", "early", "late", "unstarted"],
    );
  });
});
