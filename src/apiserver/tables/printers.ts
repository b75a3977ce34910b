// Which printer renders which kind, keyed "group/Kind" ("/Pod", "apps/DaemonSet").
import {
  configMapPrinter,
  leasePrinter,
  namespacePrinter,
  secretPrinter,
  serviceAccountPrinter,
} from "./basic-kinds.js";
import { controllerRevisionPrinter } from "./controller-revision.js";
import { daemonSetPrinter } from "./daemonset.js";
import { defaultPrinter } from "./default.js";
import { endpointSlicePrinter, endpointsPrinter } from "./endpoints.js";
import { eventPrinter } from "./event.js";
import { nodePrinter } from "./node.js";
import { podPrinter } from "./pod.js";
import { podDisruptionBudgetPrinter } from "./pod-disruption-budget.js";
import { priorityClassPrinter } from "./priority-class.js";
import { bindingPrinter, createdAtPrinter } from "./rbac.js";
import { nodeMetricsPrinter, podMetricsPrinter } from "./resource-metrics.js";
import { resourceQuotaPrinter } from "./resource-quota.js";
import { servicePrinter } from "./service.js";
import type { TablePrinter } from "./types.js";

const RBAC = "rbac.authorization.k8s.io";

const PRINTERS = new Map<string, TablePrinter>([
  ["/Pod", podPrinter],
  ["/Node", nodePrinter],
  ["/Namespace", namespacePrinter],
  ["/Event", eventPrinter],
  ["/ConfigMap", configMapPrinter],
  ["/Secret", secretPrinter],
  ["/ServiceAccount", serviceAccountPrinter],
  ["/Service", servicePrinter],
  ["/Endpoints", endpointsPrinter],
  ["discovery.k8s.io/EndpointSlice", endpointSlicePrinter],
  ["/ResourceQuota", resourceQuotaPrinter],
  // Upstream's printLimitRange prints the same two columns as the generic convertor.
  ["/LimitRange", createdAtPrinter],
  ["apps/DaemonSet", daemonSetPrinter],
  ["apps/ControllerRevision", controllerRevisionPrinter],
  ["coordination.k8s.io/Lease", leasePrinter],
  ["policy/PodDisruptionBudget", podDisruptionBudgetPrinter],
  [`${RBAC}/Role`, createdAtPrinter],
  [`${RBAC}/ClusterRole`, createdAtPrinter],
  [`${RBAC}/RoleBinding`, bindingPrinter],
  [`${RBAC}/ClusterRoleBinding`, bindingPrinter],
  ["scheduling.k8s.io/PriorityClass", priorityClassPrinter],
  // Upstream prints NAME and CREATED AT for CustomResourceDefinitions (there are none here).
  ["apiextensions.k8s.io/CustomResourceDefinition", createdAtPrinter],
  ["metrics.k8s.io/NodeMetrics", nodeMetricsPrinter],
  ["metrics.k8s.io/PodMetrics", podMetricsPrinter],
]);

/** The printer for "group/Kind" (core group empty: "/Pod"); NAME/AGE for kinds without one. */
export function printerFor(groupKind: string): TablePrinter {
  return PRINTERS.get(groupKind) ?? defaultPrinter;
}
