// The default ClusterRoleBindings (upstream bootstrappolicy ClusterRoleBindings and the controllers' bindings):
// cluster-admin to system:masters, the discovery and self-review roles to everyone authenticated, the public
// info (health, version) to everyone, and each built-in component's role to its identity.
import type { KubeObject } from "../../../../api/object.js";
import {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  PRIVILEGED_GROUP,
  SERVICE_ACCOUNTS_GROUP,
} from "../../user-info.js";
import type { Subject } from "../rbac-authorizer.js";
import {
  AUTOUPDATE_ANNOTATION,
  BOOTSTRAP_LABEL,
  KUBE_CONTROLLER_MANAGER,
  KUBE_SCHEDULER,
} from "./cluster-roles.js";
import { CONTROLLER_NAMESPACE, CONTROLLER_ROLE_PREFIX, CONTROLLER_ROLES } from "./controller-roles.js";
import { RBAC } from "./rules.js";

const group = (name: string): Subject => ({ kind: "Group", apiGroup: RBAC, name });
const user = (name: string): Subject => ({ kind: "User", apiGroup: RBAC, name });
const serviceAccount = (namespace: string, name: string): Subject => ({
  kind: "ServiceAccount",
  name,
  namespace,
});

export function clusterRoleBinding(name: string, subjects: Subject[], roleName = name): KubeObject {
  const binding: KubeObject = {
    apiVersion: `${RBAC}/v1`,
    kind: "ClusterRoleBinding",
    metadata: {
      name,
      labels: { ...BOOTSTRAP_LABEL },
      annotations: { [AUTOUPDATE_ANNOTATION]: "true" },
    },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: roleName },
  };
  if (subjects.length) binding.subjects = subjects;
  return binding;
}

export function bootstrapClusterRoleBindings(): KubeObject[] {
  return [
    clusterRoleBinding("cluster-admin", [group(PRIVILEGED_GROUP)]),
    clusterRoleBinding("system:monitoring", [group("system:monitoring")]),
    clusterRoleBinding("system:discovery", [group(ALL_AUTHENTICATED)]),
    clusterRoleBinding("system:basic-user", [group(ALL_AUTHENTICATED)]),
    clusterRoleBinding("system:public-info-viewer", [group(ALL_AUTHENTICATED), group(ALL_UNAUTHENTICATED)]),
    clusterRoleBinding("system:service-account-issuer-discovery", [group(SERVICE_ACCOUNTS_GROUP)]),
    // Kubelets are authorized by the node authorizer; the binding exists, empty, as upstream keeps it.
    clusterRoleBinding("system:node", []),
    clusterRoleBinding(KUBE_SCHEDULER, [user(KUBE_SCHEDULER)]),
    clusterRoleBinding(KUBE_CONTROLLER_MANAGER, [user(KUBE_CONTROLLER_MANAGER)]),
    ...CONTROLLER_ROLES.map((c) =>
      clusterRoleBinding(`${CONTROLLER_ROLE_PREFIX}${c.name}`, [
        serviceAccount(CONTROLLER_NAMESPACE, c.name),
      ]),
    ),
  ];
}
