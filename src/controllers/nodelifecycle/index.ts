// The node lifecycle controller (node health, condition and cordon taints, NoExecute taints by zone) and the
// taint manager that evicts pods from NoExecute-tainted nodes.
export { evictionTime, matchingTolerations } from "./eviction-time.js";
export { markKubeletConditionsUnknown } from "./node-conditions.js";
export { type GracePeriods, type NodeHealth, observeNodeHealth } from "./node-health.js";
export {
  NODE_LEASE_NAMESPACE,
  NODE_LIFECYCLE_DEFAULTS,
  NodeLifecycleController,
  type NodeLifecycleOptions,
} from "./node-lifecycle-controller.js";
export { desiredNoScheduleTaints, NOT_READY_TAINT, swapTaints, UNREACHABLE_TAINT } from "./node-taints.js";
export { TaintEvictionController, type TaintEvictionOptions } from "./taint-eviction.js";
export { computeZoneState, type ZoneState, zoneKey } from "./zones.js";
