// Pod rows for `kubectl get pods`: READY, the derived STATUS, RESTARTS with "(5m ago)", and wide columns,
// following upstream printPod step for step so the STATUS column reads as it does on a real cluster.
import type { Container, ContainerStatus, Pod, PodCondition } from "kubernetes-types/core/v1.js";
import { humanDuration } from "../../api/duration.js";
import { ageColumn, column, nameColumn } from "./columns.js";
import { since, timestampMs } from "./format.js";
import type { TablePrinter, TableRowCondition } from "./types.js";

/** The reason the node lifecycle controller gives pods on an unreachable node. */
const NODE_UNREACHABLE_REASON = "NodeLost";

// Row conditions tell clients the pod is finished; the messages are the ones upstream sends.
const SUCCEEDED_CONDITIONS: TableRowCondition[] = [
  { type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." },
];
const FAILED_CONDITIONS: TableRowCondition[] = [
  { type: "Completed", status: "True", reason: "Failed", message: "The pod failed." },
];

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** Sidecar containers: init containers with restartPolicy Always keep running beside the main ones. */
const isRestartableInit = (c: Container | undefined): boolean => c?.restartPolicy === "Always";

const conditionIs = (conditions: PodCondition[] | undefined, type: string): boolean => {
  // Upstream takes the first condition of the type, whatever its status.
  const found = conditions?.find((c) => c.type === type);
  return found?.status === "True";
};

const hasTrueCondition = (conditions: PodCondition[] | undefined, type: string): boolean =>
  conditions?.some((c) => c.type === type && c.status === "True") ?? false;

/** Tracks the restart count and the latest restart time across a group of containers. */
class RestartTally {
  count = 0;
  last: number | undefined;

  add(status: ContainerStatus): void {
    this.count += status.restartCount ?? 0;
    const finished = timestampMs(status.lastState?.terminated?.finishedAt);
    if (finished !== undefined && (this.last === undefined || finished > this.last)) this.last = finished;
  }
}

/** Why a terminated container stopped, as printed: its reason, else Signal:N or ExitCode:N. */
function terminatedReason(
  t: { reason?: string; signal?: number; exitCode?: number },
  prefix: string,
): string {
  if (t.reason) return prefix + t.reason;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

/** READY, STATUS and RESTARTS of one pod, as upstream printPod derives them. */
export function summarizePod(pod: Pod, now: number): PodSummary {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  let totalContainers = spec.containers?.length ?? 0;
  let readyContainers = 0;
  let reason = status.reason || status.phase || "";

  if (status.conditions?.some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) {
    reason = "SchedulingGated";
  }

  const initSpecs = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    initSpecs.set(c.name, c);
    if (isRestartableInit(c)) totalContainers++;
  }

  const allRestarts = new RestartTally();
  const sidecarRestarts = new RestartTally();
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const sidecar = isRestartableInit(initSpecs.get(c.name));
    allRestarts.add(c);
    if (sidecar) sidecarRestarts.add(c);
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    // The first init container that has not finished decides the status.
    if (terminated) reason = terminatedReason(terminated, "Init:");
    else if (waiting?.reason && waiting.reason !== "PodInitializing") reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${spec.initContainers?.length ?? 0}`;
    initializing = true;
    break;
  }

  let restarts = allRestarts;
  if (!initializing || conditionIs(status.conditions, "Initialized")) {
    restarts = sidecarRestarts;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Backwards, so the first container with a reason has the last word.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts.add(c);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated) reason = terminatedReason(terminated, "");
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A completed container beside a running one: the pod as a whole is still running.
    if (reason === "Completed" && hasRunning) {
      reason = hasTrueCondition(status.conditions, "Ready") ? "Running" : "NotReady";
    }
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === NODE_UNREACHABLE_REASON) reason = "Unknown";
    else if (status.phase !== "Succeeded" && status.phase !== "Failed") reason = "Terminating";
  }

  let restartsText = String(restarts.count);
  if (restarts.count !== 0 && restarts.last !== undefined) {
    restartsText = `${restarts.count} (${humanDuration(now - restarts.last)} ago)`;
  }
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsText };
}

/** "true/total" over the pod's readiness gates, "<none>" when it has none. */
function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return "<none>";
  let satisfied = 0;
  for (const gate of gates) {
    if (conditionIs(pod.status?.conditions, gate.conditionType)) satisfied++;
  }
  return `${satisfied}/${gates.length}`;
}

export const podPrinter: TablePrinter<Pod> = {
  columns: [
    nameColumn,
    column("Ready", "string", "Ready containers out of all containers of the pod."),
    column("Status", "string", "Summary of the pod phase and its containers' states."),
    column("Restarts", "string", "Container restarts, and how long ago the last one was."),
    ageColumn,
    column("IP", "string", "First IP address of the pod (status.podIPs).", { wide: true }),
    column("Node", "string", "Node the pod is bound to (spec.nodeName).", { wide: true }),
    column("Nominated Node", "string", "Node the pod may run on after preemption.", { wide: true }),
    column("Readiness Gates", "string", "Readiness gate conditions that are True.", { wide: true }),
  ],
  cells(pod, now) {
    const summary = summarizePod(pod, now);
    return [
      pod.metadata?.name ?? "",
      summary.ready,
      summary.status,
      summary.restarts,
      since(pod.metadata?.creationTimestamp, now),
      pod.status?.podIPs?.[0]?.ip || "<none>",
      pod.spec?.nodeName || "<none>",
      pod.status?.nominatedNodeName || "<none>",
      readinessGates(pod),
    ];
  },
  conditions(pod) {
    if (pod.status?.phase === "Succeeded") return SUCCEEDED_CONDITIONS;
    if (pod.status?.phase === "Failed") return FAILED_CONDITIONS;
    return undefined;
  },
};
