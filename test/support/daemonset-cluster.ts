// An in-process cluster for DaemonSet behaviour tests: the API server (TestCluster) plus everything
// `everynode up` runs beside it (DaemonSet controller, scheduler, garbage collector, pod GC, node lifecycle, the
// fleet of simulated kubelets), with builders for the nodes and DaemonSets upstream's e2e and integration tests use
// and waits that poll the API with short timeouts.
import assert from "node:assert/strict";
import type { KubeObject } from "../../src/api/object.js";
import {
  CONTROLLER_REVISIONS,
  DAEMON_SETS,
  NAMESPACES,
  NODES,
  PODS,
} from "../../src/api/resources.js";
import { LocalClient } from "../../src/apiserver/local-client.js";
import type { Client } from "../../src/client/client.js";
import { Components } from "../../src/main/components.js";
import { buildNode, CONTROL_PLANE_NODE, defaultNodeNames } from "../../src/nodes/node-template.js";
import { createLogger } from "../../src/util/log.js";
import { DS_NAME_LABEL, isControlledBy } from "./daemon-pods.js";
import { eventually, TestCluster } from "./test-cluster.js";

/** Upstream's e2e DaemonSet image (framework.ServeHostnameImage's successor) and the one it updates to. */
export const HTTPD_IMAGE = "registry.k8s.io/e2e-test-images/httpd:2.4.38-4";
export const AGNHOST_IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.53";

export type DaemonSetStrategy =
  | { type: "OnDelete" }
  | { type: "RollingUpdate"; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };

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

export interface ClusterOptions {
  /** Wraps the client the components use, e.g. to make some requests fail as an admission plugin would. */
  componentClient?: (client: Client) => Client;
}

export class DaemonSetCluster {
  private constructor(
    readonly http: TestCluster,
    readonly client: Client,
    private readonly components: Components,
  ) {}

  static async start(o: ClusterOptions = {}): Promise<DaemonSetCluster> {
    const http = await TestCluster.start();
    const client = new LocalClient(http.cp.registry);
    const logger = createLogger("test", process.env.EVERYNODE_LOG_LEVEL ?? "silent");
    const components = new Components({ client: o.componentClient?.(client) ?? client, logger });
    components.start();
    return new DaemonSetCluster(http, client, components);
  }

  async stop(): Promise<void> {
    await this.components.close();
    await this.http.stop();
  }

  async createNamespace(name: string): Promise<string> {
    await this.client.create(NAMESPACES, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    return name;
  }

  async addNode(name: string, o: NodeOptions = {}): Promise<KubeObject> {
    return this.client.create(NODES, undefined, nodeManifest(name, o));
  }

  /** Nodes `<prefix><from>` … `<prefix><from+count-1>`, as upstream's addNodes. */
  async addNodes(from: number, count: number, o: NodeOptions = {}, prefix = "node-"): Promise<string[]> {
    const names = Array.from({ length: count }, (_, i) => `${prefix}${from + i}`);
    await Promise.all(names.map((n) => this.addNode(n, o)));
    return names;
  }

  /** The nodes of `everynode up --nodes <workers+1>`: a tainted control-plane node and workers node1…; returns the workers. */
  async addClusterNodes(workers: number): Promise<string[]> {
    const names = defaultNodeNames(workers + 1);
    await Promise.all(names.map((n) => this.addNode(n)));
    return names.filter((n) => n !== CONTROL_PLANE_NODE);
  }

  async patchNode(name: string, patch: unknown, type: "merge" | "strategic" = "merge"): Promise<KubeObject> {
    return this.client.patch(NODES, undefined, name, type, patch);
  }

  async createDaemonSet(ns: string, ds: KubeObject): Promise<KubeObject> {
    return this.client.create(DAEMON_SETS, ns, ds);
  }

  getDaemonSet(ns: string, name: string): Promise<KubeObject> {
    return this.client.get(DAEMON_SETS, ns, name);
  }

  patchDaemonSet(ns: string, name: string, patch: unknown, type: "merge" | "strategic" = "strategic") {
    return this.client.patch(DAEMON_SETS, ns, name, type, patch);
  }

  /** Every pod the DaemonSet controls (deleting ones included). */
  async daemonPods(ns: string, ds: KubeObject): Promise<KubeObject[]> {
    const items = await this.labelledPods(ns, ds.metadata.name!);
    return items.filter((p) => isControlledBy(p, ds));
  }

  /** Every pod carrying the DaemonSet's label, whoever owns it (e.g. after the DaemonSet is gone). */
  async labelledPods(ns: string, dsName: string): Promise<KubeObject[]> {
    return (await this.client.list(PODS, ns, { labelSelector: `${DS_NAME_LABEL}=${dsName}` })).items;
  }

  /** The DaemonSet's ControllerRevisions (selected by its labels, as upstream listDaemonHistories). */
  async revisions(ns: string, dsName: string): Promise<KubeObject[]> {
    const { items } = await this.client.list(CONTROLLER_REVISIONS, ns, {
      labelSelector: `${DS_NAME_LABEL}=${dsName}`,
    });
    return items;
  }

  /** Waits until `check` holds for the DaemonSet's pods; `check` returns why not (a string) or undefined. */
  async waitForPods(
    ns: string,
    dsName: string,
    what: string,
    check: (pods: KubeObject[], ds: KubeObject) => string | undefined,
    timeoutMs = 5000,
  ): Promise<KubeObject[]> {
    return eventually(
      async () => {
        const ds = await this.getDaemonSet(ns, dsName);
        const pods = await this.daemonPods(ns, ds);
        const problem = check(pods, ds);
        if (problem !== undefined) throw new Error(problem || "no pods");
        return pods;
      },
      timeoutMs,
      what,
    );
  }

  /**
   * validateDaemonSetStatus + CheckDaemonStatus: the controller has observed the current generation and reports
   * `expected` fields (desiredNumberScheduled, currentNumberScheduled, numberReady, …).
   */
  async waitForStatus(
    ns: string,
    dsName: string,
    expected: Record<string, number>,
    timeoutMs = 5000,
  ): Promise<KubeObject> {
    return eventually(
      async () => {
        const ds = await this.getDaemonSet(ns, dsName);
        const status = ds.status ?? {};
        const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, status[k] ?? 0]));
        assert.deepEqual(actual, expected);
        assert.ok(
          (status.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0),
          `observedGeneration ${status.observedGeneration} < generation ${ds.metadata.generation}`,
        );
        return ds;
      },
      timeoutMs,
      `status of ${dsName} to be ${JSON.stringify(expected)}`,
    );
  }
}
