// What the DaemonSet case suites share: a fresh namespace per case, applying manifests, reading the DaemonSet
// and its pods with kubectl, and waiting until exactly the expected nodes run an available daemon pod or until
// the DaemonSet's status reads as expected.
import { daemonPodsOnNodesProblem } from "../../support/daemon-pods.js";
import type { Kubectl } from "../../support/kubectl.js";
import { getJson } from "./get-json.js";
import { type Manifest, namespace, toYaml } from "./manifests.js";
import { waitFor } from "./wait.js";

export const DS = "daemon-set";
export const LABEL = `daemonset-name=${DS}`;
export const WAIT = { timeoutMs: 15_000, intervalMs: 100 };

/** The helpers over `kubectl()` (read lazily: the suite starts its cluster in `before`). */
export function daemonSetCases(kubectl: () => Kubectl, namespacePrefix: string) {
  let count = 0;
  const k = () => kubectl();
  /** A fresh namespace per case, so cases never see each other's DaemonSets. */
  const newNamespace = async () => {
    const ns = `${namespacePrefix}-${++count}`;
    await k().ok(["apply", "-f", "-"], { stdin: toYaml([namespace(ns)]) });
    return ns;
  };
  const applyIn = (ns: string, manifest: Manifest) =>
    k().ok(["apply", "-n", ns, "-f", "-"], { stdin: toYaml([manifest]) });
  const daemonSetIn = (ns: string) => getJson(k(), "ds", DS, "-n", ns);
  const daemonPods = async (ns: string) =>
    (await getJson(k(), "pods", "-n", ns, "-l", LABEL)).items as Manifest[];
  /** checkDaemonPodOnNodes: one available pod on each of `nodes`, none elsewhere, and whatever `extra` demands. */
  const waitRunningOn = async (
    ns: string,
    nodes: string[],
    extra?: (pods: Manifest[]) => string | undefined,
  ) => {
    let last = "";
    return waitFor(
      `daemon pods on exactly [${nodes}]`,
      async () => {
        const [ds, pods] = await Promise.all([daemonSetIn(ns), daemonPods(ns)]);
        const problem = daemonPodsOnNodesProblem(pods, ds, nodes) ?? extra?.(pods);
        last = problem ?? "";
        return problem === undefined && pods;
      },
      { ...WAIT, detail: () => last },
    );
  };
  /** Waits until every field of `want` matches the DaemonSet's status (for the current generation). */
  const waitStatus = (ns: string, want: Record<string, number>) => {
    let last = "";
    return waitFor(
      `status ${JSON.stringify(want)}`,
      async () => {
        const ds = await daemonSetIn(ns);
        const s = ds.status ?? {};
        last = JSON.stringify(s);
        const synced = s.observedGeneration === ds.metadata.generation;
        return synced && Object.entries(want).every(([key, v]) => (s[key] ?? 0) === v) && ds;
      },
      { ...WAIT, detail: () => last },
    );
  };
  return { newNamespace, applyIn, daemonSetIn, daemonPods, waitRunningOn, waitStatus };
}
