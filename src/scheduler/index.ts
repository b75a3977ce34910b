// The scheduler package: the Scheduler runnable, and the pure pieces it is built from (filters, FitError
// messages, preemption's victims and node choice, scoring, resource accounting) for tests and tools that
// explain placement.

export { type Candidate, pickOneNodeForPreemption } from "./candidate-selection.js";
export {
  DEFAULT_FILTERS,
  ErrReason,
  type FilterPlugin,
  nodeAffinity,
  nodeName,
  nodePorts,
  nodeResourcesFit,
  nodeUnschedulable,
  type Rejection,
  type RejectionCode,
  runFilters,
  taintToleration,
  untoleratedTaintReason,
} from "./filters.js";
export {
  type Diagnosis,
  ERR_NO_NODES_AVAILABLE,
  ERR_REASON_AFFINITY_CONFLICT,
  fitErrorMessage,
  truncateMessage,
} from "./fit-error.js";
export { NodeInfo } from "./node-info.js";
export { Nominator } from "./nominator.js";
export { type PodInfo, podInfo } from "./pod-info.js";
export { nodeAllocatable, podNonZeroRequests, podRequests, type Resource } from "./pod-resources.js";
export { type PreemptionInput, type PreemptionOutcome, preempt } from "./preemption.js";
export {
  numFeasibleNodesToFind,
  PodScheduler,
  type PodSchedulerOptions,
  type ScheduleOutcome,
  type Unschedulable,
} from "./schedule-pod.js";
export { DEFAULT_SCHEDULER_NAME, Scheduler, type SchedulerOptions } from "./scheduler.js";
export { SchedulerCache } from "./scheduler-cache.js";
export { type QueuedPod, SchedulingQueue, type SchedulingQueueOptions } from "./scheduling-queue.js";
export { selectHost } from "./scoring.js";
export { moreImportantPod, selectVictimsOnNode, type Victims } from "./victims.js";
