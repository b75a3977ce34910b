// Helpers shared by the day-2 end-to-end suites (rollout, describe, events, logs, deletion): DaemonSet variants
// with the simulation controls, reading a DaemonSet's pods, and waiting for a rollout through kubectl itself.
import type { Kubectl } from "../../support/kubectl.js";
import { getJson } from "./get-json.js";
import { daemonSet, type Manifest } from "./manifests.js";
import { waitFor } from "./wait.js";

/** A shell loop that logs a greeting once and then a numbered tick every second. */
export const TICKER_SCRIPT =
  'echo "hello from $(hostname)"; while true; do echo "tick $(date)"; sleep 1; done';

export interface DaemonSetOptions {
  image?: string;
  /** Annotations of the pod template (the simulation controls reach the pods this way). */
  templateAnnotations?: Record<string, string>;
  /** Replaces the default RollingUpdate strategy. */
  updateStrategy?: Manifest;
  command?: string[];
  resources?: Manifest;
  imagePullPolicy?: string;
  /** Extra fields of the pod spec (tolerations, nodeSelector, lifecycle is per container: see `container`). */
  podSpec?: Manifest;
  /** Extra fields of the one container. */
  container?: Manifest;
}

/** `daemonSet(name, ns)` with the given variations: one container `main`, selector `app: <name>`. */
export function daemonSetWith(name: string, ns: string, options: DaemonSetOptions = {}): Manifest {
  const ds = daemonSet(name, ns, options.image);
  const template = ds.spec.template;
  if (options.templateAnnotations) template.metadata.annotations = { ...options.templateAnnotations };
  if (options.updateStrategy) ds.spec.updateStrategy = options.updateStrategy;
  Object.assign(template.spec, options.podSpec ?? {});
  const container = template.spec.containers[0];
  if (options.command) container.command = options.command;
  if (options.resources) container.resources = options.resources;
  if (options.imagePullPolicy) container.imagePullPolicy = options.imagePullPolicy;
  Object.assign(container, options.container ?? {});
  return ds;
}

/** The pods selected by `selector` in `ns`, sorted by node name. */
export async function podsOf(k: Kubectl, ns: string, selector: string): Promise<Manifest[]> {
  const list = await getJson(k, "pods", "-n", ns, "-l", selector);
  return (list.items as Manifest[]).sort((a, b) =>
    String(a.spec.nodeName).localeCompare(String(b.spec.nodeName)),
  );
}

export const isReady = (pod: Manifest): boolean =>
  pod.status?.conditions?.some((c: Manifest) => c.type === "Ready" && c.status === "True") ?? false;

/** Waits until `count` ready, non-terminating pods match `selector`; returns them sorted by node. */
export function readyPods(
  k: Kubectl,
  ns: string,
  selector: string,
  count: number,
  timeoutMs = 20_000,
): Promise<Manifest[]> {
  return waitFor(
    `${count} ready pods ${selector} in ${ns}`,
    async () => {
      const pods = (await podsOf(k, ns, selector)).filter((p) => !p.metadata.deletionTimestamp);
      return pods.length === count && pods.every(isReady) ? pods : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/**
 * Waits until exactly `count` pods match `selector`, every one ready and none terminating: unlike readyPods,
 * pods still being deleted (which `describe ds` counts) must be gone too.
 */
export function onlyReadyPods(k: Kubectl, ns: string, selector: string, count: number): Promise<Manifest[]> {
  return waitFor(
    `only ${count} ready pods ${selector} in ${ns}`,
    async () => {
      const pods = await podsOf(k, ns, selector);
      const settled = pods.every((p) => isReady(p) && !p.metadata.deletionTimestamp);
      return pods.length === count && settled ? pods : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 200 },
  );
}

/** Runs `kubectl rollout status` until the DaemonSet has rolled out (kubectl's own definition of done). */
export async function rolledOut(k: Kubectl, ns: string, name: string, timeout = "30s"): Promise<string> {
  return k.ok(["rollout", "status", `ds/${name}`, "-n", ns, `--timeout=${timeout}`]);
}

/** Output lines without the trailing empty one. */
export const linesOf = (text: string): string[] => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));
