// The node authorizer (upstream plugin/pkg/auth/authorizer/node plus the name checks of the NodeRestriction
// admission plugin that a request's attributes already allow): a kubelet identity may read what a kubelet
// reads, but may write only its own Node (and its status), its own Lease in kube-node-lease, and the pods bound
// to it, and may read only the Secrets and ConfigMaps those pods use (upstream's graph, computed here from the
// pods in the object's namespace). Identities that are not kubelets get no opinion, so RBAC decides for them.
//
// Two kinds of kubelet identity exist: `system:node:<name>` (group system:nodes) acts for one node, and the
// in-process node fleet's single identity acts for every node the fleet simulates (see node-scope.ts), so a
// thousand simulated kubelets do not need a thousand clients.
import type { KubeObject } from "../../../api/object.js";
import type { UserInfo } from "../user-info.js";
import type { Attributes } from "./attributes.js";
import { type Authorizer, allow, emptyRuleSet, noOpinion, type RuleSet, ruleSetOf } from "./authorizer.js";
import { type NodeScope, nodeScopeOf } from "./node-scope.js";
import { podReferences } from "./pod-references.js";
import { type PolicyRule, rulesAllow } from "./policy-rule.js";

export const NODE_LEASE_NAMESPACE = "kube-node-lease";

/** The objects the node authorizer looks at: the watch cache's nodes and pods. */
export interface NodeGraph {
  node(name: string): KubeObject | undefined;
  pod(namespace: string, name: string): KubeObject | undefined;
  podsInNamespace(namespace: string): readonly KubeObject[];
}

/** What every kubelet may do before the per-node checks (a subset of upstream's system:node rules). */
export const NODE_RULES: readonly PolicyRule[] = [
  { verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"] },
  {
    verbs: ["create"],
    apiGroups: ["authorization.k8s.io"],
    resources: ["subjectaccessreviews", "localsubjectaccessreviews"],
  },
  { verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["services"] },
  { verbs: ["create", "get", "list", "watch"], apiGroups: [""], resources: ["nodes"] },
  { verbs: ["update", "patch"], apiGroups: [""], resources: ["nodes/status"] },
  { verbs: ["update", "patch", "delete"], apiGroups: [""], resources: ["nodes"] },
  { verbs: ["create", "update", "patch"], apiGroups: ["", "events.k8s.io"], resources: ["events"] },
  { verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods"] },
  { verbs: ["delete"], apiGroups: [""], resources: ["pods"] },
  { verbs: ["update", "patch"], apiGroups: [""], resources: ["pods/status"] },
  { verbs: ["create"], apiGroups: [""], resources: ["pods/eviction"] },
  {
    verbs: ["get", "create", "update", "patch", "delete"],
    apiGroups: ["coordination.k8s.io"],
    resources: ["leases"],
  },
];

const WRITES = new Set(["create", "update", "patch", "delete", "deletecollection"]);

export class NodeAuthorizer implements Authorizer {
  constructor(private readonly graph: NodeGraph) {}

  authorize(attrs: Attributes) {
    const scope = nodeScopeOf(attrs.user, this.graph);
    if (!scope) return noOpinion();
    if (!attrs.resourceRequest) return noOpinion();
    if (attrs.apiGroup === "coordination.k8s.io" && attrs.resource === "leases")
      return this.lease(scope, attrs);
    if (
      attrs.apiGroup === "" &&
      (attrs.resource === "secrets" || attrs.resource === "configmaps") &&
      !attrs.subresource
    )
      return this.podObject(scope, attrs);
    if (!rulesAllow(attrs, NODE_RULES)) return noOpinion();
    if (attrs.apiGroup === "" && attrs.resource === "nodes") return this.node(scope, attrs);
    if (attrs.apiGroup === "" && attrs.resource === "pods") return this.pod(scope, attrs);
    return allow();
  }

  /** Leases only in kube-node-lease, named after a node of the identity (a create's name is checked on admission). */
  private lease(scope: NodeScope, attrs: Attributes) {
    if (!["get", "create", "update", "patch", "delete"].includes(attrs.verb))
      return noOpinion("can only get, create, update, patch, or delete a node lease");
    if (attrs.namespace !== NODE_LEASE_NAMESPACE)
      return noOpinion(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
    if (attrs.verb !== "create" && !scope.actsFor(attrs.name))
      return noOpinion("can only access node lease with the same name as the requesting node");
    return allow();
  }

  /** A Secret or ConfigMap, read one at a time, only when a pod bound to one of the identity's nodes uses it. */
  private podObject(scope: NodeScope, attrs: Attributes) {
    if (!["get", "list", "watch"].includes(attrs.verb) || !attrs.name) {
      return noOpinion(`can only read individual ${attrs.resource} used by pods bound to the node`);
    }
    const used = this.graph.podsInNamespace(attrs.namespace).some((pod) => {
      const nodeName = pod.spec?.nodeName as string | undefined;
      if (!nodeName || !scope.actsFor(nodeName)) return false;
      const refs = podReferences(pod);
      return (attrs.resource === "secrets" ? refs.secrets : refs.configMaps).has(attrs.name);
    });
    return used
      ? allow()
      : noOpinion(`no relationship found between node '${scope.describe}' and this object`);
  }

  /** Writes to a Node object only for the identity's own node; one that does not exist answers 404 anyway. */
  private node(scope: NodeScope, attrs: Attributes) {
    if (!WRITES.has(attrs.verb) || attrs.verb === "create" || !attrs.name) return allow();
    if (this.graph.node(attrs.name) === undefined || scope.actsFor(attrs.name)) return allow();
    return noOpinion(
      `node ${JSON.stringify(scope.describe)} is not allowed to modify node ${JSON.stringify(attrs.name)}`,
    );
  }

  /** Pod writes (status, deletion, eviction) only for pods bound to one of the identity's nodes. */
  private pod(scope: NodeScope, attrs: Attributes) {
    if (!WRITES.has(attrs.verb) && !(attrs.verb === "create" && attrs.subresource === "eviction"))
      return allow();
    if (!attrs.name) return noOpinion("can only modify pods bound to the requesting node");
    const pod = this.graph.pod(attrs.namespace, attrs.name);
    if (pod === undefined) return allow();
    const nodeName = pod.spec?.nodeName as string | undefined;
    if (nodeName && scope.actsFor(nodeName)) return allow();
    return noOpinion(
      `node ${JSON.stringify(scope.describe)} can only modify pods with spec.nodeName set to itself`,
    );
  }

  rulesFor(user: UserInfo): RuleSet {
    return nodeScopeOf(user, this.graph) ? ruleSetOf(NODE_RULES) : emptyRuleSet();
  }
}
