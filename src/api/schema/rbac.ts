// Schemas of rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding and ClusterRoleBinding.

import { definition, list, ref, str } from "./builders.js";
import { LabelSelector, objectMetaField, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

export const PolicyRule: Schema = definition(
  "io.k8s.api.rbac.v1.PolicyRule",
  "Verbs allowed on resources or non-resource URLs.",
  {
    verbs: list(str(), "Allowed verbs; * means all.", { listType: "atomic" }),
    apiGroups: list(str(), "API groups of the resources; empty string is the core group.", {
      listType: "atomic",
    }),
    resources: list(str(), "Resources the rule applies to; * means all.", { listType: "atomic" }),
    resourceNames: list(str(), "Object names the rule is limited to.", { listType: "atomic" }),
    nonResourceURLs: list(str(), "Non-resource URL paths the rule applies to.", { listType: "atomic" }),
  },
  { required: ["verbs"] },
);

export const Role: Schema = definition(
  "io.k8s.api.rbac.v1.Role",
  "A namespaced set of permissions.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    rules: list(PolicyRule, "The permissions granted.", { listType: "atomic" }),
  },
  { gvk: { group: "rbac.authorization.k8s.io", version: "v1", kind: "Role" } },
);

export const AggregationRule: Schema = definition(
  "io.k8s.api.rbac.v1.AggregationRule",
  "Selects ClusterRoles to aggregate.",
  {
    clusterRoleSelectors: list(LabelSelector, "Label queries over ClusterRoles.", { listType: "atomic" }),
  },
);

export const ClusterRole: Schema = definition(
  "io.k8s.api.rbac.v1.ClusterRole",
  "A cluster-wide set of permissions.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    rules: list(PolicyRule, "The permissions granted.", { listType: "atomic" }),
    aggregationRule: ref(AggregationRule, "Selects other ClusterRoles whose rules are merged into this one."),
  },
  { gvk: { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole" } },
);

export const Subject: Schema = definition(
  "io.k8s.api.rbac.v1.Subject",
  "A user, group or service account.",
  {
    kind: str("User, Group or ServiceAccount."),
    apiGroup: str("API group of the subject kind."),
    name: str("Name of the subject."),
    namespace: str("Namespace of a ServiceAccount subject."),
  },
  { required: ["kind", "name"], mapType: "atomic" },
);

export const RoleRef: Schema = definition(
  "io.k8s.api.rbac.v1.RoleRef",
  "The role a binding refers to.",
  {
    apiGroup: str("API group of the role."),
    kind: str("Role or ClusterRole."),
    name: str("Name of the role."),
  },
  { required: ["apiGroup", "kind", "name"], mapType: "atomic" },
);

export const RoleBinding: Schema = definition(
  "io.k8s.api.rbac.v1.RoleBinding",
  "Grants a Role or ClusterRole to subjects within a namespace.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    subjects: list(Subject, "Who is granted the role.", { listType: "atomic" }),
    roleRef: ref(RoleRef, "The role granted."),
  },
  { required: ["roleRef"], gvk: { group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding" } },
);

export const ClusterRoleBinding: Schema = definition(
  "io.k8s.api.rbac.v1.ClusterRoleBinding",
  "Grants a ClusterRole to subjects across the cluster.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    subjects: list(Subject, "Who is granted the role.", { listType: "atomic" }),
    roleRef: ref(RoleRef, "The ClusterRole granted."),
  },
  {
    required: ["roleRef"],
    gvk: { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding" },
  },
);
