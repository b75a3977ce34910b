// The pod garbage collector: force-deletes pods bound to vanished nodes, stuck terminating pods and surplus
// terminated pods.
export {
  byEvictionAndCreationTimestamp,
  GC_CHECK_PERIOD_MS,
  OUT_OF_SERVICE_TAINT,
  PodGC,
  type PodGCOptions,
  QUARANTINE_MS,
  TERMINATED_POD_THRESHOLD,
} from "./pod-gc.js";
