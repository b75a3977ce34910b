// An in-process cluster for DaemonSet behaviour tests: the API server (TestCluster) plus everything
// `everynode up` runs beside it (DaemonSet controller, scheduler, garbage collector, pod GC, node lifecycle, the
// fleet of simulated kubelets), with shortcuts for the objects the tests touch and waits that poll the API with
// short timeouts.
import assert from "node:assert/strict";
import type { KubeObject } from "../../src/api/object.js";
import { CONTROLLER_REVISIONS, DAEMON_SETS, NAMESPACES, NODES, PODS } from "../../src/api/resources.js";
import { LocalClient } from "../../src/apiserver/local-client.js";
import type { Client } from "../../src/client/client.js";
import { Components } from "../../src/main/components.js";
import { CONTROL_PLANE_NODE, defaultNodeNames } from "../../src/nodes/node-template.js";
import { createLogger } from "../../src/util/log.js";
import { DS_NAME_LABEL, isControlledBy } from "./daemon-pods.js";
import { type NodeOptions, nodeManifest } from "./daemonset-manifests.js";
import { eventually, TestCluster } from "./test-cluster.js";

// The builders tests use beside the cluster.
export * from "./daemonset-manifests.js";

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
    await this.client.create(NAMESPACES, undefined, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name },
    });
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
    timeoutMs = 10_000,
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
    timeoutMs = 10_000,
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
