// The DaemonSets and Nodes upstream's DaemonSet e2e and integration tests build (newDaemonSet, newNode), as
// manifests for the in-process cluster and for kubectl alike.
import type { KubeObject } from "../../src/api/object.js";
import { buildNode } from "../../src/nodes/node-template.js";
import { DS_NAME_LABEL } from "./daemon-pods.js";

/** Upstream's e2e DaemonSet image (framework.ServeHostnameImage's successor) and the one it updates to. */
export const HTTPD_IMAGE = "registry.k8s.io/e2e-test-images/httpd:2.4.38-4";
export const AGNHOST_IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.53";

export type DaemonSetStrategy =
  | { type: "OnDelete" }
  | {
      type: "RollingUpdate";
      rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string };
    };

/** upstream integration forEachStrategy: each case runs with OnDelete and with RollingUpdate (maxUnavailable 1). */
export const BOTH_STRATEGIES: { name: string; strategy: DaemonSetStrategy }[] = [
  { name: "OnDelete", strategy: { type: "OnDelete" } },
  { name: "RollingUpdate", strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } } },
];

export interface DaemonSetOptions {
  image?: string;
  strategy?: DaemonSetStrategy;
  /** Extra fields of the pod template's spec (nodeSelector, affinity, tolerations, hostNetwork…). */
  podSpec?: Record<string, unknown>;
  /** Extra fields of the single container (env, resources, lifecycle…). */
  container?: Record<string, unknown>;
  templateAnnotations?: Record<string, string>;
  templateFinalizers?: string[];
  minReadySeconds?: number;
  /** Labels of the DaemonSet object itself (upstream newDaemonSetWithLabel). */
  objectLabels?: Record<string, string>;
}

/** upstream e2e newDaemonSet: selector and template labels `daemonset-name=<name>`, container `app`, port 9376. */
export function daemonSetManifest(name: string, o: DaemonSetOptions = {}): KubeObject {
  const labels = { [DS_NAME_LABEL]: name };
  const templateMetadata: Record<string, unknown> = { labels };
  if (o.templateAnnotations) templateMetadata.annotations = o.templateAnnotations;
  if (o.templateFinalizers) templateMetadata.finalizers = o.templateFinalizers;
  const spec: Record<string, unknown> = {
    selector: { matchLabels: labels },
    template: {
      metadata: templateMetadata,
      spec: {
        containers: [
          { name: "app", image: o.image ?? HTTPD_IMAGE, ports: [{ containerPort: 9376 }], ...o.container },
        ],
        ...o.podSpec,
      },
    },
  };
  if (o.strategy) spec.updateStrategy = o.strategy;
  if (o.minReadySeconds !== undefined) spec.minReadySeconds = o.minReadySeconds;
  const metadata: KubeObject["metadata"] = { name };
  if (o.objectLabels) metadata.labels = o.objectLabels;
  return { apiVersion: "apps/v1", kind: "DaemonSet", metadata, spec };
}

export interface NodeOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  /** Condition statuses to report instead of the kubelet defaults, e.g. { Ready: "False" }. */
  conditions?: Record<string, "True" | "False" | "Unknown">;
  /** status.capacity and status.allocatable (merged over the defaults). */
  resources?: Record<string, string>;
}

let nodeIndex = 0;

/** A simulated node as `everynode up` registers one (buildNode), with the test's labels, taints and status. */
export function nodeManifest(name: string, o: NodeOptions = {}): KubeObject {
  const node = buildNode(name, nodeIndex++ % 250, Date.now());
  Object.assign(node.metadata.labels!, o.labels);
  if (o.annotations) Object.assign(node.metadata.annotations!, o.annotations);
  if (o.taints) node.spec.taints = o.taints;
  if (o.unschedulable) node.spec.unschedulable = true;
  for (const c of node.status.conditions) {
    const status = o.conditions?.[c.type];
    if (status) {
      c.status = status;
      c.reason = `Test${c.type}${status}`;
    }
  }
  if (o.resources) {
    Object.assign(node.status.capacity, o.resources);
    Object.assign(node.status.allocatable, o.resources);
  }
  return node;
}
