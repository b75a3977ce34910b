// The roles of the built-in controllers (upstream bootstrappolicy controller_policy.go): one ClusterRole
// `system:controller:<name>` per controller, bound to the ServiceAccount kube-system/<name> each controller
// acts as, with the least privilege its writes need (reads go through the shared informers, which list and
// watch as system:kube-controller-manager).
import type { PolicyRule } from "../policy-rule.js";
import { APPS, CORE, eventsRule, POLICY, READ, rule } from "./rules.js";

export const CONTROLLER_ROLE_PREFIX = "system:controller:";
/** The namespace of the controllers' ServiceAccounts. */
export const CONTROLLER_NAMESPACE = "kube-system";

export interface ControllerRole {
  /** The controller's name: its ServiceAccount, and its role without the prefix. */
  name: string;
  rules: PolicyRule[];
}

export const DAEMON_SET_CONTROLLER = "daemon-set-controller";
export const GARBAGE_COLLECTOR = "generic-garbage-collector";
export const NODE_CONTROLLER = "node-controller";
export const POD_GARBAGE_COLLECTOR = "pod-garbage-collector";
export const RESOURCE_QUOTA_CONTROLLER = "resourcequota-controller";
export const SERVICE_ACCOUNT_CONTROLLER = "service-account-controller";
export const DISRUPTION_CONTROLLER = "disruption-controller";
export const ENDPOINT_CONTROLLER = "endpoint-controller";
export const ENDPOINT_SLICE_CONTROLLER = "endpointslice-controller";
export const CLUSTER_ROLE_AGGREGATION_CONTROLLER = "clusterrole-aggregation-controller";

export const CONTROLLER_ROLES: readonly ControllerRole[] = [
  {
    name: CLUSTER_ROLE_AGGREGATION_CONTROLLER,
    // It writes whatever rules the aggregated roles select, so it must be allowed to escalate.
    rules: [
      rule(
        ["escalate", "get", "list", "patch", "update", "watch"],
        ["rbac.authorization.k8s.io"],
        ["clusterroles"],
      ),
    ],
  },
  {
    name: DAEMON_SET_CONTROLLER,
    rules: [
      rule(READ, [APPS, "extensions"], ["daemonsets"]),
      rule(["update"], [APPS, "extensions"], ["daemonsets/status"]),
      rule(["update"], [APPS, "extensions"], ["daemonsets/finalizers"]),
      rule(READ, [CORE], ["nodes"]),
      rule(["create", "delete", "list", "patch", "watch"], [CORE], ["pods"]),
      rule(["create"], [CORE], ["pods/binding"]),
      rule(["create", "delete", "get", "list", "patch", "update", "watch"], [APPS], ["controllerrevisions"]),
      eventsRule(),
    ],
  },
  {
    name: DISRUPTION_CONTROLLER,
    rules: [
      rule(READ, [APPS, "extensions"], ["deployments"]),
      rule(READ, [APPS, "extensions"], ["replicasets"]),
      rule(READ, [CORE], ["replicationcontrollers"]),
      rule(READ, [POLICY], ["poddisruptionbudgets"]),
      rule(READ, [APPS], ["statefulsets"]),
      rule(["update"], [POLICY], ["poddisruptionbudgets/status"]),
      rule(["get"], ["*"], ["*/scale"]),
      rule(["patch", "update"], [CORE], ["pods/status"]),
      eventsRule(),
    ],
  },
  {
    name: GARBAGE_COLLECTOR,
    rules: [rule(["delete", "get", "list", "patch", "update", "watch"], ["*"], ["*"]), eventsRule()],
  },
  {
    name: NODE_CONTROLLER,
    rules: [
      rule(["delete", "get", "list", "patch", "update"], [CORE], ["nodes"]),
      rule(["patch", "update"], [CORE], ["nodes/status"]),
      // Marking pods not ready, and evicting them from unreachable or tainted nodes.
      rule(["patch", "update"], [CORE], ["pods/status"]),
      rule(["delete", "get", "list"], [CORE], ["pods"]),
      eventsRule(),
    ],
  },
  {
    name: POD_GARBAGE_COLLECTOR,
    rules: [
      rule(["delete", "get", "list", "watch"], [CORE], ["pods"]),
      rule(["get", "list"], [CORE], ["nodes"]),
      rule(["patch"], [CORE], ["pods/status"]),
    ],
  },
  {
    name: RESOURCE_QUOTA_CONTROLLER,
    rules: [
      // Quota counts anything, so it may see everything.
      rule(["list", "watch"], ["*"], ["*"]),
      rule(["update"], [CORE], ["resourcequotas/status"]),
      eventsRule(),
    ],
  },
  {
    name: SERVICE_ACCOUNT_CONTROLLER,
    rules: [rule(["create"], [CORE], ["serviceaccounts"]), eventsRule()],
  },
  {
    name: ENDPOINT_CONTROLLER,
    rules: [
      rule(["get", "list", "watch"], [CORE], ["services", "pods"]),
      rule(["get", "list", "create", "update", "delete"], [CORE], ["endpoints"]),
      rule(["create"], [CORE], ["endpoints/restricted"]),
      eventsRule(),
    ],
  },
  {
    name: ENDPOINT_SLICE_CONTROLLER,
    rules: [
      rule(["get", "list", "watch"], [CORE], ["services", "pods", "nodes"]),
      // The owner reference's blockOwnerDeletion needs the right to set finalizers on the service.
      rule(["update"], [CORE], ["services/finalizers"]),
      rule(["get", "list", "create", "update", "delete"], ["discovery.k8s.io"], ["endpointslices"]),
      eventsRule(),
    ],
  },
];
