// Shared steps of the seed walk-throughs: a DaemonSet's pods by node, waiting until a DaemonSet has settled on
// exactly the nodes a seed expects, Node manifests for the node names the seeds use, and the everynode CLI.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import type { KubeObject } from "../../../src/api/object.js";
import { daemonPodsOnNodesProblem, isDeleting, isPodReady } from "../../support/daemon-pods.js";
import type { Kubectl, KubectlResult } from "../../support/kubectl.js";
import { getJson } from "../support/get-json.js";
import type { Manifest } from "../support/manifests.js";
import { waitFor } from "../support/wait.js";

const BIN = resolve(import.meta.dirname, "../../../bin/everynode.js");

/** How long one step may take to converge: controllers and simulated kubelets answer in well under a second. */
export const SETTLE_MS = 30_000;

/** `matchLabels` as a kubectl `-l` argument (every seed selects by matchLabels only). */
export const labelSelector = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

/** The pods of DaemonSet `name` that are not being deleted, as `kubectl get pods -l … -o json` lists them. */
export async function daemonPods(k: Kubectl, ns: string, name: string): Promise<Manifest[]> {
  const ds = await getJson(k, "ds", name, "-n", ns);
  const pods = await getJson(k, "pods", "-n", ns, "-l", labelSelector(ds.spec.selector.matchLabels));
  return pods.items.filter(
    (p: Manifest) =>
      !isDeleting(p as KubeObject) &&
      (p.metadata.ownerReferences ?? []).some((r: Manifest) => r.controller && r.uid === ds.metadata.uid),
  );
}

/** node name → the names of the pods on it. */
export function podsByNode(pods: Manifest[]): Record<string, string[]> {
  const byNode: Record<string, string[]> = {};
  for (const p of pods) {
    const node = p.spec.nodeName ?? "";
    byNode[node] = [...(byNode[node] ?? []), p.metadata.name];
  }
  return byNode;
}

export interface SettleOptions {
  /** Pods the status must count as misscheduled (running where the DaemonSet would no longer place one). */
  misscheduled?: number;
  /** Nodes whose pod may be present without counting towards the check (misscheduled pods). */
  alsoOn?: string[];
  timeoutMs?: number;
}

/**
 * Waits until DaemonSet `name` runs exactly one available pod on each of `nodes` and none elsewhere, and its
 * status says so for the current generation (desired = current = ready = up-to-date = available = nodes).
 * Returns its pods.
 */
export async function waitForDaemonSet(
  k: Kubectl,
  ns: string,
  name: string,
  nodes: readonly string[],
  options: SettleOptions = {},
): Promise<Manifest[]> {
  const { misscheduled = 0, alsoOn = [], timeoutMs = SETTLE_MS } = options;
  let last = "";
  return waitFor(
    `DaemonSet ${ns}/${name} on exactly [${nodes.join(", ")}]`,
    async () => {
      const ds = await getJson(k, "ds", name, "-n", ns);
      const pods = (await daemonPods(k, ns, name)).filter((p) => !alsoOn.includes(p.spec.nodeName));
      const problem = daemonPodsOnNodesProblem(pods as KubeObject[], ds as KubeObject, nodes);
      const s = ds.status ?? {};
      const n = nodes.length;
      const settled =
        s.observedGeneration === ds.metadata.generation &&
        s.desiredNumberScheduled === n &&
        s.currentNumberScheduled === n &&
        s.numberReady === n &&
        (s.updatedNumberScheduled ?? 0) === n &&
        (s.numberAvailable ?? 0) === n &&
        s.numberMisscheduled === misscheduled;
      last = `${problem ?? "pods placed"}\nstatus: ${JSON.stringify(s)} generation ${ds.metadata.generation}`;
      return !problem && settled ? pods : undefined;
    },
    { timeoutMs, intervalMs: 100, detail: () => last },
  );
}

/** Waits until a pod matching `selector` in `ns` satisfies `check`; returns it. */
export async function waitForPod(
  k: Kubectl,
  ns: string,
  selector: string,
  what: string,
  check: (pod: Manifest) => boolean,
  timeoutMs = SETTLE_MS,
): Promise<Manifest> {
  let last = "";
  return waitFor(
    what,
    async () => {
      const pods = (await getJson(k, "pods", "-n", ns, "-l", selector)).items as Manifest[];
      last = pods
        .map((p) => `${p.metadata.name} ${JSON.stringify(p.status?.containerStatuses ?? [])}`)
        .join("\n");
      return pods.find(check);
    },
    { timeoutMs, intervalMs: 200, detail: () => last },
  );
}

export const isReady = (pod: Manifest): boolean => isPodReady(pod as KubeObject);

/** The image of a pod's (or a template's) first container. */
export const firstImage = (podOrTemplate: Manifest): string => podOrTemplate.spec.containers[0].image;

/** A Node manifest as `kubectl apply -f node.yaml` adds it to everynode's simulated fleet. */
export function nodeManifest(
  name: string,
  options: { labels?: Record<string, string>; taints?: Manifest[]; capacity?: Record<string, string> } = {},
): Manifest {
  const node: Manifest = { apiVersion: "v1", kind: "Node", metadata: { name } };
  if (options.labels) node.metadata.labels = options.labels;
  if (options.taints) node.spec = { taints: options.taints };
  if (options.capacity) node.status = { capacity: options.capacity };
  return node;
}

/** Waits until every node in `names` reports Ready, as `kubectl get nodes` shows it. */
export async function waitForNodesReady(k: Kubectl, names: readonly string[]): Promise<void> {
  await waitFor(
    `nodes ${names.join(", ")} Ready`,
    async () => {
      const nodes = (await getJson(k, "nodes")).items as Manifest[];
      const ready = new Set(
        nodes
          .filter((n) =>
            n.status?.conditions?.some((c: Manifest) => c.type === "Ready" && c.status === "True"),
          )
          .map((n) => n.metadata.name),
      );
      return names.every((n) => ready.has(n));
    },
    { timeoutMs: SETTLE_MS, intervalMs: 100 },
  );
}

/** Runs the everynode CLI (the compiled bin, as `npx everynode` would). */
export function everynode(args: string[]): Promise<KubectlResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolveRun({ code: code ?? -1, stdout, stderr }));
  });
}

/** The messages of the events matching a field selector in `ns`, oldest first. */
export async function eventMessages(k: Kubectl, ns: string, fieldSelector: string): Promise<string[]> {
  const events = await getJson(k, "events", "-n", ns, "--field-selector", fieldSelector);
  return events.items.map((e: Manifest) => e.message as string);
}

/**
 * `kubectl rollout status` as the seeds run it; resolves with its output once it reports success. The timeout
 * is kubectl's own (`--timeout`), so a stuck rollout fails the step with kubectl's message.
 */
export async function rolloutStatus(k: Kubectl, ns: string, name: string, timeout = "60s"): Promise<string> {
  return k.ok(["rollout", "status", `daemonset/${name}`, "-n", ns, `--timeout=${timeout}`]);
}
