// Public surface of the controller runtime: queues, the reconcile loop, expectations and the manager.
export {
  Controller,
  type ControllerOptions,
  isTerminalError,
  type Reconciler,
  type Result,
  TerminalError,
} from "./controller.js";
export {
  ControllerExpectations,
  EXPECTATIONS_TIMEOUT_MS,
  type Expectation,
  UIDTrackingExpectations,
} from "./expectations.js";
export { Manager, type ManagerOptions, type Runnable } from "./manager.js";
export {
  defaultQueueMetrics,
  promQueueMetrics,
  setDefaultQueueMetricsRegistry,
  WorkqueueMetricsProvider,
} from "./metrics.js";
export * from "./workqueue/index.js";
