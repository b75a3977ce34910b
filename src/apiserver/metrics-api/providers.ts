// NodeMetrics and PodMetrics as virtual resources: computed on each request from the nodes and pods in the
// watch cache, with metrics-server's selectors (labels of the measured objects; fields metadata.name and
// metadata.namespace), ordering and not-found answers.
import { ApiError } from "../../api/errors.js";
import { parseFieldSelector, validateFieldSelectorKeys } from "../../api/fields.js";
import type { KubeObject } from "../../api/object.js";
import { NODES, PODS, type ResourceInfo } from "../../api/resources.js";
import type { Registry } from "../registry/registry.js";
import { selectableFields } from "../registry/selectable-fields.js";
import type { ListOptions } from "../registry/store.js";
import type { VirtualList, VirtualResource } from "../registry/virtual-resource.js";
import { nodeMetricsObject, podMetricsObject } from "./metrics-objects.js";
import { NODE_METRICS, NODE_METRICS_REF, POD_METRICS, POD_METRICS_REF } from "./resources.js";
import { nodeReportsMetrics, nodeUsage, podUsage, type ResourceUsage, sampleTime } from "./usage-model.js";

/** Only the object-meta fields can be selected on, as metrics-server filters with AddObjectMetaFieldsSet. */
function checkFieldSelector(info: ResourceInfo, opts: ListOptions): void {
  if (!opts.fieldSelector) return;
  const allowed = Object.keys(selectableFields(info.group, info.resource));
  validateFieldSelectorKeys(parseFieldSelector(opts.fieldSelector), allowed);
}

/** The measured objects' selectors: the same label and (checked) field selectors, nothing else. */
const selectors = (opts: ListOptions): ListOptions => ({
  labelSelector: opts.labelSelector,
  fieldSelector: opts.fieldSelector,
});

const compare = (a = "", b = ""): number => (a < b ? -1 : a > b ? 1 : 0);

/** Reads nodes and pods from the registry's stores (the watch cache) at one sample time. */
class MetricsSource {
  readonly now: number;
  readonly at: number;
  private readonly nodeCache = new Map<string, KubeObject | undefined>();

  constructor(private readonly registry: Registry) {
    this.now = registry.clock.now();
    this.at = sampleTime(this.now);
  }

  get nodes() {
    return this.registry.store(NODES);
  }

  get pods() {
    return this.registry.store(PODS);
  }

  /** Whether the kubelet of the node a pod runs on can be scraped (looked up once per request). */
  private scrapable(nodeName: string | undefined): boolean {
    if (!nodeName) return false;
    if (!this.nodeCache.has(nodeName)) this.nodeCache.set(nodeName, this.nodes.getOrUndefined("", nodeName));
    const node = this.nodeCache.get(nodeName);
    return node !== undefined && nodeReportsMetrics(node);
  }

  /** A pod's PodMetrics, or undefined when metrics-server would have none. */
  podMetrics(pod: KubeObject): KubeObject | undefined {
    if (!this.scrapable(pod.spec?.nodeName)) return undefined;
    const usage = podUsage(pod, this.at);
    return usage && podMetricsObject(pod, usage, this.at, this.now);
  }

  /** A node's NodeMetrics from the pods bound to it, or undefined when its kubelet cannot be scraped. */
  nodeMetrics(node: KubeObject, pods: readonly KubeObject[]): KubeObject | undefined {
    if (!nodeReportsMetrics(node)) return undefined;
    const usages: ResourceUsage[] = [];
    for (const pod of pods) for (const c of podUsage(pod, this.at) ?? []) usages.push(c);
    return nodeMetricsObject(node, nodeUsage(node, usages, this.at), this.at, this.now);
  }
}

class NodeMetricsResource implements VirtualResource {
  readonly info = NODE_METRICS;

  constructor(private readonly registry: Registry) {}

  async get(_namespace: string, name: string): Promise<KubeObject> {
    const source = new MetricsSource(this.registry);
    const node = source.nodes.getOrUndefined("", name);
    // The node lister's own error, as metrics-server passes it on.
    if (!node) throw ApiError.notFound({ group: "", resource: "node" }, name);
    const { items: pods } = await source.pods.list(undefined, { fieldSelector: `spec.nodeName=${name}` });
    const metrics = source.nodeMetrics(node, pods);
    if (!metrics) throw ApiError.notFound(NODE_METRICS_REF, name);
    return metrics;
  }

  async list(_namespace: string | undefined, opts: ListOptions): Promise<VirtualList> {
    checkFieldSelector(this.info, opts);
    const source = new MetricsSource(this.registry);
    const { items: nodes } = await source.nodes.list(undefined, selectors(opts));
    if (nodes.length === 0) return { items: [] };
    const podsByNode = new Map<string, KubeObject[]>();
    for (const pod of (await source.pods.list(undefined)).items) {
      const nodeName = pod.spec?.nodeName;
      if (!nodeName || pod.status?.phase !== "Running") continue;
      const list = podsByNode.get(nodeName);
      if (list) list.push(pod);
      else podsByNode.set(nodeName, [pod]);
    }
    const items: KubeObject[] = [];
    for (const node of nodes) {
      const metrics = source.nodeMetrics(node, podsByNode.get(node.metadata.name!) ?? []);
      if (metrics) items.push(metrics);
    }
    return { items };
  }
}

class PodMetricsResource implements VirtualResource {
  readonly info = POD_METRICS;

  constructor(private readonly registry: Registry) {}

  async get(namespace: string, name: string): Promise<KubeObject> {
    const source = new MetricsSource(this.registry);
    const pod = source.pods.getOrUndefined(namespace, name);
    if (!pod) throw ApiError.notFound({ group: "", resource: "pods" }, name);
    const metrics = source.podMetrics(pod);
    if (!metrics) throw ApiError.notFound(POD_METRICS_REF, `${namespace}/${name}`);
    return metrics;
  }

  async list(namespace: string | undefined, opts: ListOptions): Promise<VirtualList> {
    checkFieldSelector(this.info, opts);
    const source = new MetricsSource(this.registry);
    const { items: pods } = await source.pods.list(namespace, selectors(opts));
    const items: KubeObject[] = [];
    for (const pod of pods) {
      const metrics = source.podMetrics(pod);
      if (metrics) items.push(metrics);
    }
    // By namespace, then name, as metrics-server sorts (storage keys put "a-b/" before "a/").
    items.sort(
      (a, b) =>
        compare(a.metadata.namespace, b.metadata.namespace) || compare(a.metadata.name, b.metadata.name),
    );
    return { items };
  }
}

export const nodeMetricsResource = (registry: Registry): VirtualResource => new NodeMetricsResource(registry);
export const podMetricsResource = (registry: Registry): VirtualResource => new PodMetricsResource(registry);
