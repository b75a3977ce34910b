// A whole everynode cluster inside the benchmark process: control plane on a SQLite file or a given store
// (HTTPS, with a kubeconfig for kubectl) plus every component on the in-process client, the node fleet with zero
// start delay, and helpers to create nodes and wait for DaemonSet states.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeObject } from "../src/api/object.js";
import { DAEMON_SETS, NODES } from "../src/api/resources.js";
import { LocalClient } from "../src/apiserver/local-client.js";
import { writeKubeconfig } from "../src/cli/kubeconfig.js";
import { Components } from "../src/main/components.js";
import { ControlPlane } from "../src/main/control-plane.js";
import { buildNode } from "../src/nodes/node-template.js";
import { ensureClusterPki } from "../src/pki/certificates.js";
import { createLogger } from "../src/util/log.js";

export interface BenchCluster {
  dir: string;
  /** The storage URL, kept so a restart reopens the same store. */
  store: string;
  cp: ControlPlane;
  components: Components;
  client: LocalClient;
  kubeconfig: string;
}

const logger = () => createLogger("bench", process.env.EVERYNODE_LOG_LEVEL ?? "silent");

/**
 * Starts (or restarts, with `dir` and `store`) a cluster; returns once the API serves. The store is a SQLite file
 * in `dir` unless another storage URL is given.
 */
export async function startCluster(
  dir = mkdtempSync(join(tmpdir(), "everynode-bench-")),
  store = `sqlite://${join(dir, "state.db")}`,
): Promise<BenchCluster> {
  const pki = await ensureClusterPki(dir);
  const cp = await ControlPlane.start({
    store,
    port: 0,
    logger: logger(),
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
  });
  const kubeconfig = join(dir, "kubeconfig");
  writeKubeconfig(kubeconfig, {
    server: cp.url,
    caData: pki.ca.cert,
    clientCertData: pki.admin.cert,
    clientKeyData: pki.admin.key,
  });
  const client = new LocalClient(cp.registry);
  const components = new Components({
    client,
    logger: logger(),
    fleetTimings: { startDelayMs: 0, registrationsPerSecond: 1_000_000 },
    governHeap: true,
  });
  cp.server.podLogs = components.fleet;
  components.start();
  return { dir, store, cp, components, client, kubeconfig };
}

export async function stopCluster(c: BenchCluster, remove = true): Promise<void> {
  await c.components.close();
  await c.cp.stop();
  if (remove) rmSync(c.dir, { recursive: true, force: true });
}

/** Registers `count` worker nodes (node-1 … node-N), `concurrency` requests at a time. */
export async function createNodes(
  c: BenchCluster,
  count: number,
  onProgress?: (done: number) => void,
): Promise<void> {
  let next = 0;
  let done = 0;
  const now = Date.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const node: KubeObject = buildNode(`node-${i + 1}`, i + 1, now);
      await c.client.create(NODES, undefined, node);
      done++;
      if (onProgress && done % 1000 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
}

/** Polls the DaemonSet until `ready(status, ds)` holds; resolves with the elapsed ms. */
export async function waitForDaemonSet(
  c: BenchCluster,
  namespace: string,
  name: string,
  ready: (ds: KubeObject) => boolean,
  timeoutMs: number,
  onProgress?: (ds: KubeObject) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  for (;;) {
    const ds = c.cp.registry.store(DAEMON_SETS).getOrUndefined(namespace, name);
    if (ds && ready(ds)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `DaemonSet ${namespace}/${name} not ready within ${timeoutMs} ms: ${JSON.stringify(ds?.status)}`,
      );
    }
    if (ds && onProgress && Date.now() - lastReport > 1000) {
      lastReport = Date.now();
      onProgress(ds);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A DaemonSet tolerating nothing special: it runs on every worker node. */
export function benchDaemonSet(name: string, image: string, maxUnavailable: string | number = 1): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: "default" },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: "agent", image, resources: { requests: { cpu: "5m", memory: "20Mi" } } }],
        },
      },
    },
  };
}

/** desired = current = ready = available = n, and the controller has seen the latest generation. */
export const fullyAvailable = (n: number) => (ds: KubeObject) => {
  const s = ds.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0) &&
    s.desiredNumberScheduled === n &&
    s.currentNumberScheduled === n &&
    s.numberReady === n &&
    s.numberAvailable === n &&
    s.updatedNumberScheduled === n
  );
};
