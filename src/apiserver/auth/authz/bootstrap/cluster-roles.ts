// The default ClusterRoles every cluster starts with (upstream bootstrappolicy ClusterRoles): the user-facing
// cluster-admin, admin, edit and view (the last three aggregated from the system:aggregate-to-* roles), the
// roles every authenticated user holds (discovery, basic-user, public-info-viewer), and the roles of the
// built-in components. Rules for resources everynode does not serve are kept, as upstream has them, so a
// role reads the same as on any cluster.
import type { KubeObject } from "../../../../api/object.js";
import type { PolicyRule } from "../policy-rule.js";
import {
  APPS,
  AUTHENTICATION,
  AUTHORIZATION,
  COORDINATION,
  CORE,
  eventsRule,
  POLICY,
  RBAC,
  READ,
  READ_WRITE,
  rule,
  urls,
  WRITE,
} from "./rules.js";

export const BOOTSTRAP_LABEL = { "kubernetes.io/bootstrapping": "rbac-defaults" };
export const AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate";
export const AGGREGATE_TO = (role: "admin" | "edit" | "view") =>
  `rbac.authorization.k8s.io/aggregate-to-${role}`;

export function clusterRole(
  name: string,
  rules: PolicyRule[],
  extra: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): KubeObject {
  const role: KubeObject = {
    apiVersion: `${RBAC}/v1`,
    kind: "ClusterRole",
    metadata: {
      name,
      labels: { ...BOOTSTRAP_LABEL, ...extra.labels },
      annotations: { [AUTOUPDATE_ANNOTATION]: "true" },
    },
    rules,
  };
  if (extra.aggregateFrom) {
    role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [extra.aggregateFrom]: "true" } }] };
  }
  return role;
}

const aggregateToView: PolicyRule[] = [
  rule(
    READ,
    [CORE],
    [
      "pods",
      "replicationcontrollers",
      "replicationcontrollers/scale",
      "serviceaccounts",
      "services",
      "services/status",
      "endpoints",
      "persistentvolumeclaims",
      "persistentvolumeclaims/status",
      "configmaps",
    ],
  ),
  rule(
    READ,
    [CORE],
    [
      "limitranges",
      "resourcequotas",
      "bindings",
      "events",
      "pods/status",
      "resourcequotas/status",
      "namespaces/status",
      "replicationcontrollers/status",
      "pods/log",
    ],
  ),
  // Reading namespaces at the namespace scope means reading that one namespace.
  rule(READ, [CORE], ["namespaces"]),
  rule(READ, ["discovery.k8s.io"], ["endpointslices"]),
  rule(
    READ,
    [APPS],
    [
      "controllerrevisions",
      "statefulsets",
      "statefulsets/scale",
      "statefulsets/status",
      "daemonsets",
      "daemonsets/status",
      "deployments",
      "deployments/scale",
      "deployments/status",
      "replicasets",
      "replicasets/scale",
      "replicasets/status",
    ],
  ),
  rule(READ, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
  rule(READ, ["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
  rule(READ, [POLICY], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
  rule(READ, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
];

const aggregateToEdit: PolicyRule[] = [
  // Reading the escalating resources.
  rule(
    READ,
    [CORE],
    ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"],
  ),
  rule(["impersonate"], [CORE], ["serviceaccounts"]),
  rule(WRITE, [CORE], ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
  rule(["create"], [CORE], ["pods/eviction"]),
  rule(
    WRITE,
    [CORE],
    [
      "replicationcontrollers",
      "replicationcontrollers/scale",
      "serviceaccounts",
      "services",
      "services/proxy",
      "persistentvolumeclaims",
      "configmaps",
      "secrets",
    ],
  ),
  rule(["create"], [CORE], ["serviceaccounts/token"]),
  rule(
    WRITE,
    [APPS],
    [
      "statefulsets",
      "statefulsets/scale",
      "daemonsets",
      "deployments",
      "deployments/scale",
      "deployments/rollback",
      "replicasets",
      "replicasets/scale",
    ],
  ),
  rule(WRITE, ["autoscaling"], ["horizontalpodautoscalers"]),
  rule(WRITE, ["batch"], ["jobs", "cronjobs"]),
  rule(WRITE, [POLICY], ["poddisruptionbudgets"]),
  rule(WRITE, ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
];

const aggregateToAdmin: PolicyRule[] = [
  rule(["create"], [AUTHORIZATION], ["localsubjectaccessreviews"]),
  rule(READ_WRITE, [RBAC], ["rolebindings", "roles"]),
];

/** What a kubelet may do (the node authorizer enforces the per-node limits on top). */
const nodeRules: PolicyRule[] = [
  rule(["create"], [AUTHENTICATION], ["tokenreviews"]),
  rule(["create"], [AUTHORIZATION], ["localsubjectaccessreviews", "subjectaccessreviews"]),
  rule(READ, [CORE], ["services"]),
  rule(["create", "get", "list", "watch"], [CORE], ["nodes"]),
  rule(["patch", "update"], [CORE], ["nodes/status"]),
  rule(["delete", "patch", "update"], [CORE], ["nodes"]),
  eventsRule(),
  rule(READ, [CORE], ["pods"]),
  rule(["create", "delete"], [CORE], ["pods"]),
  rule(["patch", "update"], [CORE], ["pods/status"]),
  rule(["create"], [CORE], ["pods/eviction"]),
  rule(["create", "delete", "get", "patch", "update"], [COORDINATION], ["leases"]),
];

export const KUBE_SCHEDULER = "system:kube-scheduler";
export const KUBE_CONTROLLER_MANAGER = "system:kube-controller-manager";

const schedulerRules: PolicyRule[] = [
  eventsRule(),
  // Leader election.
  rule(["create"], [COORDINATION], ["leases"]),
  rule(["get", "update"], [COORDINATION], ["leases"], ["kube-scheduler"]),
  // The pods it places and the nodes it places them on.
  rule(READ, [CORE], ["nodes"]),
  rule(["delete", "get", "list", "watch"], [CORE], ["pods"]),
  rule(["create"], [CORE], ["bindings", "pods/binding"]),
  rule(["patch", "update"], [CORE], ["pods/status"]),
  // What selects pods, for spreading and preemption.
  rule(READ, [CORE], ["replicationcontrollers", "services"]),
  rule(READ, [APPS], ["replicasets", "statefulsets"]),
  rule(READ, [POLICY], ["poddisruptionbudgets"]),
  rule(READ, [CORE], ["persistentvolumeclaims", "persistentvolumes"]),
  rule(["create"], [AUTHENTICATION], ["tokenreviews"]),
  rule(["create"], [AUTHORIZATION], ["subjectaccessreviews"]),
  rule(READ, ["storage.k8s.io"], ["csinodes"]),
  rule(READ, [CORE], ["namespaces"]),
  rule(READ, ["storage.k8s.io"], ["csidrivers", "csistoragecapacities"]),
];

const controllerManagerRules: PolicyRule[] = [
  eventsRule(),
  // Leader election.
  rule(["create"], [COORDINATION], ["leases"]),
  rule(["get", "update"], [COORDINATION], ["leases"], ["kube-controller-manager"]),
  rule(["create"], [CORE], ["secrets", "serviceaccounts"]),
  rule(["delete"], [CORE], ["secrets"]),
  rule(["get"], [CORE], ["configmaps", "namespaces", "secrets", "serviceaccounts"]),
  rule(["update"], [CORE], ["secrets", "serviceaccounts"]),
  rule(["create"], [AUTHENTICATION], ["tokenreviews"]),
  rule(["create"], [AUTHORIZATION], ["subjectaccessreviews"]),
  // Every shared informer lists and watches through this identity.
  rule(["list", "watch"], ["*"], ["*"]),
  rule(["create"], [CORE], ["serviceaccounts/token"]),
];

export function bootstrapClusterRoles(): KubeObject[] {
  return [
    clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"]), urls(["*"], ["*"])]),
    clusterRole("system:discovery", [
      urls(
        ["get"],
        [
          "/api",
          "/api/*",
          "/apis",
          "/apis/*",
          "/healthz",
          "/livez",
          "/openapi",
          "/openapi/*",
          "/readyz",
          "/version",
          "/version/",
        ],
      ),
    ]),
    clusterRole("system:monitoring", [
      urls(
        ["get"],
        ["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*"],
      ),
    ]),
    clusterRole("system:basic-user", [
      rule(["create"], [AUTHENTICATION], ["selfsubjectreviews"]),
      rule(["create"], [AUTHORIZATION], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
    ]),
    clusterRole("system:public-info-viewer", [
      urls(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"]),
    ]),
    clusterRole("admin", [], { aggregateFrom: AGGREGATE_TO("admin") }),
    clusterRole("edit", [], {
      aggregateFrom: AGGREGATE_TO("edit"),
      labels: { [AGGREGATE_TO("admin")]: "true" },
    }),
    clusterRole("view", [], {
      aggregateFrom: AGGREGATE_TO("view"),
      labels: { [AGGREGATE_TO("edit")]: "true" },
    }),
    clusterRole("system:aggregate-to-admin", aggregateToAdmin, {
      labels: { [AGGREGATE_TO("admin")]: "true" },
    }),
    clusterRole("system:aggregate-to-edit", aggregateToEdit, { labels: { [AGGREGATE_TO("edit")]: "true" } }),
    clusterRole("system:aggregate-to-view", aggregateToView, { labels: { [AGGREGATE_TO("view")]: "true" } }),
    clusterRole("system:auth-delegator", [
      rule(["create"], [AUTHENTICATION], ["tokenreviews"]),
      rule(["create"], [AUTHORIZATION], ["subjectaccessreviews"]),
    ]),
    clusterRole("system:service-account-issuer-discovery", [
      urls(
        ["get"],
        [
          "/.well-known/openid-configuration",
          "/.well-known/openid-configuration/",
          "/openid/v1/jwks",
          "/openid/v1/jwks/",
        ],
      ),
    ]),
    clusterRole("system:node", nodeRules),
    clusterRole(KUBE_SCHEDULER, schedulerRules),
    clusterRole(KUBE_CONTROLLER_MANAGER, controllerManagerRules),
  ];
}
