import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../api/object.js";
import { FLEET_LABEL } from "../../../nodes/node-template.js";
import { NODES_GROUP, type UserInfo } from "../user-info.js";
import { type ResourceAddress, resourceAttributes } from "./attributes.js";
import { NodeAuthorizer, type NodeGraph } from "./node-authorizer.js";
import { NODE_FLEET_USERNAME } from "./node-scope.js";

const node = (name: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, labels },
});
const pod = (name: string, nodeName: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: { nodeName },
});
const nodes = [node("n1"), node("n2"), node("remote", { [FLEET_LABEL]: "lab" })];
const usingConfig = pod("uses-config", "n1");
usingConfig.spec.volumes = [
  { name: "v", projected: { sources: [{ configMap: { name: "kube-root-ca.crt" } }] } },
];
usingConfig.spec.containers = [{ name: "c", envFrom: [{ secretRef: { name: "creds" } }] }];
const pods = [pod("on-n1", "n1"), pod("on-n2", "n2"), pod("on-remote", "remote"), usingConfig];
const graph: NodeGraph = {
  node: (name) => nodes.find((n) => n.metadata.name === name),
  pod: (_ns, name) => pods.find((p) => p.metadata.name === name),
  podsInNamespace: (ns) => pods.filter((p) => p.metadata.namespace === ns),
};
const authorizer = new NodeAuthorizer(graph);

const kubelet: UserInfo = { username: "system:node:n1", groups: [NODES_GROUP, "system:authenticated"] };
const fleet: UserInfo = { username: NODE_FLEET_USERNAME, groups: [NODES_GROUP, "system:authenticated"] };
const notANode: UserInfo = { username: "system:node:n1", groups: ["system:authenticated"] };

const decide = (user: UserInfo, a: Partial<ResourceAddress> & { verb: string; resource: string }) =>
  authorizer.authorize(resourceAttributes(user, { group: "", ...a })).decision;

describe("NodeAuthorizer", () => {
  const cases: [string, UserInfo, Partial<ResourceAddress> & { verb: string; resource: string }, string][] = [
    ["reads every node", kubelet, { verb: "list", resource: "nodes" }, "Allow"],
    [
      "patches its own node status",
      kubelet,
      { verb: "patch", resource: "nodes", subresource: "status", name: "n1" },
      "Allow",
    ],
    [
      "not another node's status",
      kubelet,
      { verb: "patch", resource: "nodes", subresource: "status", name: "n2" },
      "NoOpinion",
    ],
    ["not delete another node", kubelet, { verb: "delete", resource: "nodes", name: "n2" }, "NoOpinion"],
    [
      "a node that does not exist (404 follows)",
      kubelet,
      { verb: "patch", resource: "nodes", name: "ghost" },
      "Allow",
    ],
    [
      "renews its own lease",
      kubelet,
      {
        verb: "update",
        group: "coordination.k8s.io",
        resource: "leases",
        namespace: "kube-node-lease",
        name: "n1",
      },
      "Allow",
    ],
    [
      "not another node's lease",
      kubelet,
      {
        verb: "update",
        group: "coordination.k8s.io",
        resource: "leases",
        namespace: "kube-node-lease",
        name: "n2",
      },
      "NoOpinion",
    ],
    [
      "no lease outside kube-node-lease",
      kubelet,
      { verb: "get", group: "coordination.k8s.io", resource: "leases", namespace: "default", name: "n1" },
      "NoOpinion",
    ],
    [
      "no listing leases",
      kubelet,
      { verb: "list", group: "coordination.k8s.io", resource: "leases", namespace: "kube-node-lease" },
      "NoOpinion",
    ],
    ["reads pods", kubelet, { verb: "watch", resource: "pods" }, "Allow"],
    [
      "status of a pod bound to it",
      kubelet,
      { verb: "patch", resource: "pods", subresource: "status", namespace: "default", name: "on-n1" },
      "Allow",
    ],
    [
      "not the status of another node's pod",
      kubelet,
      { verb: "patch", resource: "pods", subresource: "status", namespace: "default", name: "on-n2" },
      "NoOpinion",
    ],
    [
      "deletes a pod bound to it",
      kubelet,
      { verb: "delete", resource: "pods", namespace: "default", name: "on-n1" },
      "Allow",
    ],
    [
      "not another node's pod",
      kubelet,
      { verb: "delete", resource: "pods", namespace: "default", name: "on-n2" },
      "NoOpinion",
    ],
    ["creates no pods", kubelet, { verb: "create", resource: "pods", namespace: "default" }, "NoOpinion"],
    ["records events", kubelet, { verb: "create", resource: "events", namespace: "default" }, "Allow"],
    ["no listing secrets", kubelet, { verb: "list", resource: "secrets", namespace: "default" }, "NoOpinion"],
    [
      "a secret its pod uses",
      kubelet,
      { verb: "get", resource: "secrets", namespace: "default", name: "creds" },
      "Allow",
    ],
    [
      "a configmap its pod mounts",
      kubelet,
      { verb: "get", resource: "configmaps", namespace: "default", name: "kube-root-ca.crt" },
      "Allow",
    ],
    [
      "… watched alone",
      kubelet,
      { verb: "watch", resource: "configmaps", namespace: "default", name: "kube-root-ca.crt" },
      "Allow",
    ],
    [
      "not a secret no pod of it uses",
      kubelet,
      { verb: "get", resource: "secrets", namespace: "default", name: "other" },
      "NoOpinion",
    ],
    [
      "not another node's pod's secret",
      { ...kubelet, username: "system:node:n2" },
      { verb: "get", resource: "secrets", namespace: "default", name: "creds" },
      "NoOpinion",
    ],
    [
      "not in another namespace",
      kubelet,
      { verb: "get", resource: "secrets", namespace: "other", name: "creds" },
      "NoOpinion",
    ],
    [
      "no daemonsets",
      kubelet,
      { verb: "get", group: "apps", resource: "daemonsets", namespace: "default" },
      "NoOpinion",
    ],
    [
      "a node name without the nodes group is no kubelet",
      notANode,
      { verb: "list", resource: "nodes" },
      "NoOpinion",
    ],
    [
      "the fleet writes any node it simulates",
      fleet,
      { verb: "patch", resource: "nodes", subresource: "status", name: "n2" },
      "Allow",
    ],
    [
      "… but not nodes another fleet runs",
      fleet,
      { verb: "patch", resource: "nodes", subresource: "status", name: "remote" },
      "NoOpinion",
    ],
    [
      "the fleet renews leases of its nodes",
      fleet,
      {
        verb: "update",
        group: "coordination.k8s.io",
        resource: "leases",
        namespace: "kube-node-lease",
        name: "n2",
      },
      "Allow",
    ],
    [
      "… not of nodes that do not exist",
      fleet,
      {
        verb: "update",
        group: "coordination.k8s.io",
        resource: "leases",
        namespace: "kube-node-lease",
        name: "ghost",
      },
      "NoOpinion",
    ],
    [
      "the fleet writes pods on its nodes",
      fleet,
      { verb: "patch", resource: "pods", subresource: "status", namespace: "default", name: "on-n2" },
      "Allow",
    ],
    [
      "… not pods on other fleets' nodes",
      fleet,
      { verb: "delete", resource: "pods", namespace: "default", name: "on-remote" },
      "NoOpinion",
    ],
  ];
  for (const [name, user, address, want] of cases) {
    it(name, () => assert.equal(decide(user, address), want));
  }

  it("explains a refusal as the NodeRestriction plugin words it", () => {
    const r = authorizer.authorize(
      resourceAttributes(kubelet, {
        verb: "patch",
        group: "",
        resource: "nodes",
        subresource: "status",
        name: "n2",
      }),
    );
    assert.equal(r.reason, 'node "n1" is not allowed to modify node "n2"');
  });

  it("lists the kubelet rules for node identities only", () => {
    assert.ok(authorizer.rulesFor(kubelet).resourceRules.length > 0);
    assert.equal(authorizer.rulesFor({ username: "alice", groups: [] }).resourceRules.length, 0);
  });
});
