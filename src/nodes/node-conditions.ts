// The node conditions a kubelet reports, with upstream's reasons and messages (pkg/kubelet/nodestatus/setters.go;
// NetworkUnavailable is the route controller's wording), and the event reason for each transition.

export interface ConditionText {
  reason: string;
  message: string;
  /** Reason of the Node event recorded when the condition turns to this status (none for NetworkUnavailable). */
  event?: string;
}

export interface NodeConditionKind {
  type: string;
  whenTrue: ConditionText;
  whenFalse: ConditionText;
}

export const MEMORY_PRESSURE: NodeConditionKind = {
  type: "MemoryPressure",
  whenTrue: {
    reason: "KubeletHasInsufficientMemory",
    message: "kubelet has insufficient memory available",
    event: "NodeHasInsufficientMemory",
  },
  whenFalse: {
    reason: "KubeletHasSufficientMemory",
    message: "kubelet has sufficient memory available",
    event: "NodeHasSufficientMemory",
  },
};

export const DISK_PRESSURE: NodeConditionKind = {
  type: "DiskPressure",
  whenTrue: {
    reason: "KubeletHasDiskPressure",
    message: "kubelet has disk pressure",
    event: "NodeHasDiskPressure",
  },
  whenFalse: {
    reason: "KubeletHasNoDiskPressure",
    message: "kubelet has no disk pressure",
    event: "NodeHasNoDiskPressure",
  },
};

export const PID_PRESSURE: NodeConditionKind = {
  type: "PIDPressure",
  whenTrue: {
    reason: "KubeletHasInsufficientPID",
    message: "kubelet has insufficient PID available",
    event: "NodeHasInsufficientPID",
  },
  whenFalse: {
    reason: "KubeletHasSufficientPID",
    message: "kubelet has sufficient PID available",
    event: "NodeHasSufficientPID",
  },
};

export const READY: NodeConditionKind = {
  type: "Ready",
  whenTrue: { reason: "KubeletReady", message: "kubelet is posting ready status", event: "NodeReady" },
  whenFalse: { reason: "KubeletNotReady", message: "kubelet is not ready", event: "NodeNotReady" },
};

export const NETWORK_UNAVAILABLE: NodeConditionKind = {
  type: "NetworkUnavailable",
  whenTrue: { reason: "NoRouteCreated", message: "Node created without a route" },
  whenFalse: { reason: "RouteCreated", message: "RouteController created a route" },
};

/** The conditions every kubelet reports, in the order it reports them. */
export const KUBELET_CONDITIONS = [MEMORY_PRESSURE, DISK_PRESSURE, PID_PRESSURE, READY];

export interface NodeCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastHeartbeatTime: string;
  lastTransitionTime: string;
}

/** The condition `kind` at `status`, stamped with the given times. */
export function nodeCondition(
  kind: NodeConditionKind,
  status: boolean,
  heartbeat: string,
  transition: string,
): NodeCondition {
  const text = status ? kind.whenTrue : kind.whenFalse;
  return {
    type: kind.type,
    status: status ? "True" : "False",
    reason: text.reason,
    message: text.message,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: transition,
  };
}
