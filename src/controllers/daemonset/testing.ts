// Builders for the DaemonSet policy tests: realistic nodes, DaemonSets, daemon pods and ControllerRevisions as the
// API server would hold them, with only the fields a test cares about spelled out.
import type { Affinity, Taint, Toleration } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../../api/object.js";
import { controllerRevisionData } from "./history.js";
import { replaceDaemonSetPodNodeNameNodeAffinity } from "./placement.js";
import {
  CONTROLLER_REVISION_HASH_LABEL,
  type DaemonSetLike,
  POD_TEMPLATE_GENERATION_LABEL,
  TEMPLATE_GENERATION_ANNOTATION,
} from "./types.js";

/** The instant tests treat as "now". */
export const NOW = Date.parse("2024-05-01T12:00:00Z");
export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
export const secondsAgo = (s: number): string => iso(NOW - s * 1000);

export interface NodeOptions {
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export function node(name: string, options: NodeOptions = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      uid: `uid-node-${name}`,
      labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", ...options.labels },
    },
    spec: {
      ...(options.taints ? { taints: options.taints } : {}),
      ...(options.unschedulable ? { unschedulable: true } : {}),
    },
    status: { conditions: [{ type: "Ready", status: "True" }] },
  };
}

export type StrategyOption = "OnDelete" | { maxSurge?: number | string; maxUnavailable?: number | string };

export interface DaemonSetOptions {
  name?: string;
  uid?: string;
  generation?: number;
  observedGeneration?: number;
  /** The deprecated.daemonset.template.generation annotation; defaults to the generation. */
  templateGeneration?: string | null;
  annotations?: Record<string, string>;
  image?: string;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  hostNetwork?: boolean;
  strategy?: StrategyOption;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  collisionCount?: number;
  status?: Record<string, number>;
}

export function daemonSet(options: DaemonSetOptions = {}): KubeObject {
  const name = options.name ?? "fluentd";
  const generation = options.generation ?? 1;
  const labels = { app: name };
  const templateGeneration =
    options.templateGeneration === undefined ? String(generation) : options.templateGeneration;
  const annotations: Record<string, string> = { ...options.annotations };
  if (templateGeneration !== null) annotations[TEMPLATE_GENERATION_ANNOTATION] = templateGeneration;
  const strategy = options.strategy ?? { maxUnavailable: 1, maxSurge: 0 };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: {
      name,
      namespace: "kube-system",
      uid: options.uid ?? `uid-ds-${name}`,
      generation,
      creationTimestamp: iso(NOW - 3600_000),
      annotations,
      labels,
    },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name, image: options.image ?? "fluentd:v1" }],
          ...(options.nodeName ? { nodeName: options.nodeName } : {}),
          ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
          ...(options.affinity ? { affinity: options.affinity } : {}),
          ...(options.tolerations ? { tolerations: options.tolerations } : {}),
          ...(options.hostNetwork ? { hostNetwork: true } : {}),
        },
      },
      updateStrategy:
        strategy === "OnDelete" ? { type: "OnDelete" } : { type: "RollingUpdate", rollingUpdate: strategy },
      ...(options.minReadySeconds !== undefined ? { minReadySeconds: options.minReadySeconds } : {}),
      revisionHistoryLimit: options.revisionHistoryLimit ?? 10,
    },
    status: {
      currentNumberScheduled: 0,
      desiredNumberScheduled: 0,
      numberMisscheduled: 0,
      numberReady: 0,
      observedGeneration: options.observedGeneration ?? generation,
      ...(options.collisionCount !== undefined ? { collisionCount: options.collisionCount } : {}),
      ...options.status,
    },
  };
}

export interface PodOptions {
  /** The node the pod targets; bound unless `unbound`. */
  node?: string;
  unbound?: boolean;
  hash?: string;
  templateGeneration?: string;
  phase?: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  /** Ready since this many seconds before NOW; omitted = not Ready. */
  readyFor?: number;
  /** A Ready condition that is False. */
  notReady?: boolean;
  /** Created this many seconds before NOW (default 600). */
  age?: number;
  deleting?: boolean;
  labels?: Record<string, string>;
  namespace?: string;
}

export function pod(name: string, options: PodOptions = {}): KubeObject {
  const labels: Record<string, string> = { app: "fluentd", ...options.labels };
  if (options.hash !== undefined) labels[CONTROLLER_REVISION_HASH_LABEL] = options.hash;
  if (options.templateGeneration !== undefined)
    labels[POD_TEMPLATE_GENERATION_LABEL] = options.templateGeneration;
  const conditions =
    options.readyFor !== undefined
      ? [{ type: "Ready", status: "True", lastTransitionTime: secondsAgo(options.readyFor) }]
      : options.notReady
        ? [{ type: "Ready", status: "False", lastTransitionTime: secondsAgo(5) }]
        : [];
  const spec: Record<string, unknown> = { containers: [{ name: "fluentd", image: "fluentd:v1" }] };
  if (options.node !== undefined) {
    if (options.unbound) spec.affinity = replaceDaemonSetPodNodeNameNodeAffinity(undefined, options.node);
    else spec.nodeName = options.node;
  }
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: options.namespace ?? "kube-system",
      uid: `uid-pod-${name}`,
      labels,
      creationTimestamp: secondsAgo(options.age ?? 600),
      ...(options.deleting ? { deletionTimestamp: secondsAgo(1) } : {}),
    },
    spec,
    status: { phase: options.phase ?? "Running", conditions },
  };
}

export interface RevisionOptions {
  revision: number;
  /** Hash label; null = no label at all. */
  hash?: string | null;
  /** Whose template the data captures; defaults to an unrelated template. */
  of?: DaemonSetLike;
}

export function revision(name: string, options: RevisionOptions): KubeObject {
  const labels: Record<string, string> = { app: "fluentd" };
  if (options.hash !== null) labels[CONTROLLER_REVISION_HASH_LABEL] = options.hash ?? name.split("-").pop()!;
  const data = options.of
    ? controllerRevisionData(options.of).data
    : { spec: { template: { $patch: "replace", metadata: { labels: { app: name } } } } };
  return {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: { name, namespace: "kube-system", labels },
    data,
    revision: options.revision,
  };
}

/** A node→pods map in the given order. */
export function byNode(entries: Record<string, KubeObject[]>): Map<string, KubeObject[]> {
  return new Map(Object.entries(entries));
}
