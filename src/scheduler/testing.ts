// Builders for the scheduler's unit tests: pods, nodes and NodeInfos with just the fields placement reads.
import type { KubeObject } from "../api/object.js";
import { NodeInfo } from "./node-info.js";
import { podAccount } from "./pod-info.js";

export interface TestNodeOptions {
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  allocatable?: Record<string, string>;
}

export const DEFAULT_ALLOCATABLE = { cpu: "4", memory: "8Gi", "ephemeral-storage": "100Gi", pods: "110" };

export function testNode(name: string, o: TestNodeOptions = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable: o.allocatable ?? DEFAULT_ALLOCATABLE },
  };
}

let uidCounter = 0;

/** A pod with one container "c"; `spec` is merged over that. */
export function testPod(
  name: string,
  spec: Record<string, unknown> = {},
  requests?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", uid: `uid-${name}-${++uidCounter}` },
    spec: {
      containers: [{ name: "c", image: "nginx", ...(requests ? { resources: { requests } } : {}) }],
      ...spec,
    },
  };
}

/** `pod` bound to `nodeName`. */
export function boundTo(pod: KubeObject, nodeName: string): KubeObject {
  return { ...pod, spec: { ...pod.spec, nodeName } };
}

/** A NodeInfo for `node` with `pods` counted on it. */
export function testNodeInfo(node: KubeObject, pods: KubeObject[] = []): NodeInfo {
  const info = new NodeInfo(node.metadata.name!);
  info.setNode(node);
  for (const pod of pods) info.addPod(podAccount(boundTo(pod, info.name)));
  return info;
}

/** A required node affinity term pinning a pod to `nodes` by name, as the DaemonSet controller writes it. */
export function pinnedTo(...nodes: string[]): Record<string, unknown> {
  return {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: nodes }] }],
        },
      },
    },
  };
}
