// The simulated nodes: the fleet of kubelets without containers, and the Node objects `everynode up` registers.
export { DEFAULT_FLEET_TIMINGS, type FleetTimings, NodeFleet, type NodeFleetOptions } from "./fleet.js";
export { LEASES, NODE_LEASE_NAMESPACE, NODES } from "./node-agent.js";
export {
  buildNode,
  CONTROL_PLANE_NODE,
  CONTROL_PLANE_ROLE_LABEL,
  DEFAULT_NODE_CAPACITY,
  defaultNodeNames,
  podCIDRFor,
  SIMULATED_KUBELET_VERSION,
  standardNodeLabels,
} from "./node-template.js";
export type { FollowOptions, PodLogOptions } from "./pod-logs.js";
export * from "./sim-annotations.js";
export { DEFAULT_POD_TIMINGS, type PodTimings } from "./sim-pod.js";
