// `everynode up`: runs the control plane in the foreground on a data dir, writes its kubeconfig, registers the
// initial nodes on a fresh cluster, prints the KUBECONFIG= line once the API answers, and stops cleanly on
// SIGINT/SIGTERM. A second start on the same data dir resumes the same cluster.
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseGoDuration } from "../api/duration.js";
import { isAlreadyExists } from "../api/errors.js";
import { ensureAdminToken, ensureServiceAccountKey } from "../apiserver/auth/authn/credential-files.js";
import { LocalClient } from "../apiserver/local-client.js";
import { fencedClient } from "../client/fenced-client.js";
import { Components } from "../main/components.js";
import { ControlPlane } from "../main/control-plane.js";
import { parseControllers } from "../main/controller-selection.js";
import { buildNode, defaultNodeNames } from "../nodes/node-template.js";
import { ensureClusterPki } from "../pki/certificates.js";
import { LeaderElector } from "../runtime/leader-election.js";
import { setDefaultQueueMetricsRegistry } from "../runtime/metrics.js";
import type { EtcdTls } from "../storage/etcd/etcd-backend.js";
import { untilAborted } from "../util/clock.js";
import { createLogger } from "../util/log.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { defaultElectionFlags, electionSettings, type LeaderElectionFlags } from "./leader-election-flags.js";

/** How long a shutdown waits to hand the control plane's Lease back. */
const SHUTDOWN_WAIT_MS = 10_000;

/** The Lease the control plane's components are elected on when several `up` share one etcd. */
export const CONTROL_PLANE_LEASE = "everynode-control-plane";

export interface UpOptions {
  nodes: number;
  port: number;
  dataDir: string;
  store?: string;
  /** Paths of the etcd TLS files (--etcd-cafile, --etcd-certfile, --etcd-keyfile), for an etcd:// store. */
  etcdFiles?: { ca?: string; cert?: string; key?: string };
  nodeMonitorGracePeriod: string;
  /** kube-controller-manager's --controllers list (default "*"). */
  controllers?: string;
  /**
   * Leader election among several `everynode up` over one etcd:// store: only the leader runs the controllers,
   * the scheduler and the simulated nodes; every one serves the API. Unused with a SQLite or memory store.
   */
  election?: LeaderElectionFlags;
}

export async function up(o: UpOptions): Promise<void> {
  const started = performance.now();
  const logger = createLogger("everynode");
  const dataDir = resolve(o.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const graceMs = parseGoDuration(o.nodeMonitorGracePeriod);
  const controllers = parseControllers(o.controllers ?? "*");
  const store = o.store ?? `sqlite://${resolve(dataDir, "state.db")}`;
  const etcdTls = readEtcdTls(store, o.etcdFiles ?? {});
  const pki = await ensureClusterPki(dataDir);
  const cp = await ControlPlane.start({
    store,
    etcdTls,
    port: o.port,
    logger,
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
    // Every request is authenticated (the kubeconfig's admin certificate is in system:masters) and authorized.
    auth: { serviceAccountKey: ensureServiceAccountKey(dataDir), adminToken: ensureAdminToken(dataDir) },
  });
  const fresh = await registerInitialNodes(cp, o.nodes);
  const local = new LocalClient(cp.registry, { authorizer: cp.auth });
  // The controllers' work queues report on the API server's /metrics.
  setDefaultQueueMetricsRegistry(cp.server.metrics.registry);
  let components: Components | undefined;
  /** Starts the components; with `term`, their writes stop once it aborts (another leader may be writing). */
  const startComponents = (term?: AbortSignal) => {
    const fence = (client: LocalClient) =>
      term
        ? fencedClient(client, term, () => "this everynode is no longer the control plane's leader")
        : client;
    components = new Components({
      client: fence(local),
      // Each component acts as its own identity, with the least privilege the bootstrap policy grants it.
      clientAs: (user) => fence(local.withUser(user)),
      logger,
      nodeMonitorGracePeriodMs: graceMs,
      governHeap: true,
      controllers,
    });
    cp.server.podLogs = components.fleet;
    cp.server.podExec = components.fleet;
    components.start();
  };
  const stopComponents = async () => {
    const running = components;
    components = undefined;
    cp.server.podLogs = undefined;
    cp.server.podExec = undefined;
    await running?.close();
  };
  const shutdown = new AbortController();
  // Several API servers over one etcd: the components run in one of them only, as kube-controller-manager and
  // kube-scheduler do. A SQLite store belongs to one process, which needs no election.
  const elected = store.startsWith("etcd://") && o.election?.leaderElect !== false;
  const campaign = elected
    ? leadWhileElected(
        new LeaderElector({
          client: local,
          ...electionSettings(o.election ?? defaultElectionFlags(CONTROL_PLANE_LEASE)),
          logger,
        }),
        shutdown.signal,
        startComponents,
        stopComponents,
      )
    : undefined;
  if (!campaign) startComponents();
  const kubeconfig = resolve(dataDir, "kubeconfig");
  writeKubeconfig(kubeconfig, {
    server: cp.url,
    caData: pki.ca.cert,
    clientCertData: pki.admin.cert,
    clientKeyData: pki.admin.key,
  });
  const ms = Math.round(performance.now() - started);
  logger.info(
    { url: cp.url, store, nodes: o.nodes, fresh, nodeMonitorGracePeriodMs: graceMs, startupMs: ms },
    "serving",
  );
  process.stdout.write(
    `everynode is serving the Kubernetes API at ${cp.url} (${fresh ? "new cluster" : "resumed"}, ${ms} ms)\n` +
      `export KUBECONFIG=${kubeconfig}\n`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    shutdown.abort();
    // Handing the Lease back needs storage; against a storage that does not answer, give up after a while (the
    // Lease then simply expires).
    await Promise.race([campaign, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]);
    await stopComponents();
    await cp.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

/**
 * Runs the components while this process holds the control plane's Lease; after losing it (a long storage
 * outage, a pause), it stops them, keeps serving the API and campaigns again, until `signal` aborts.
 */
async function leadWhileElected(
  elector: LeaderElector,
  signal: AbortSignal,
  start: (term: AbortSignal) => void,
  stop: () => Promise<void>,
): Promise<void> {
  process.stdout.write(`campaigning for the control plane's lease as ${elector.identity}\n`);
  while (!signal.aborted) {
    const end = await elector.run(signal, async (term) => {
      process.stdout.write("leading: running the controllers, the scheduler and the simulated nodes\n");
      start(term);
      await untilAborted(term);
      await stop();
    });
    if (end === "stopped") return;
    process.stdout.write(
      `${end === "lost" ? "lost" : "gave up"} the control plane's lease: still serving the API, campaigning again\n`,
    );
  }
}

/** Creates the initial nodes on a fresh cluster; a resumed cluster keeps the nodes it has. */
async function registerInitialNodes(cp: ControlPlane, count: number): Promise<boolean> {
  const nodes = cp.registry.store({ group: "", resource: "nodes" });
  const { items } = await nodes.list(undefined, { limit: 1 });
  if (items.length > 0) return false;
  const names = defaultNodeNames(count);
  const now = cp.registry.clock.now();
  await Promise.all(
    names.map((name, i) =>
      nodes.create("", buildNode(name, i, now)).catch((e) => {
        if (!isAlreadyExists(e)) throw e;
      }),
    ),
  );
  return true;
}

/** Reads the etcd TLS files given on the command line; refuses combinations that cannot work, saying why. */
function readEtcdTls(
  store: string,
  files: { ca?: string; cert?: string; key?: string },
): EtcdTls | undefined {
  if (!files.ca && !files.cert && !files.key) return undefined;
  if (!store.startsWith("etcd://")) throw new Error("the --etcd-* TLS files are for an etcd:// --store");
  if (!files.ca)
    throw new Error(
      "--etcd-certfile and --etcd-keyfile need --etcd-cafile, the CA that signed etcd's certificate",
    );
  if (!files.cert !== !files.key) throw new Error("--etcd-certfile and --etcd-keyfile go together");
  const read = (flag: string, path: string): string => {
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      throw new Error(`${flag} ${path}: ${(err as Error).message}`);
    }
  };
  return {
    ca: read("--etcd-cafile", files.ca),
    cert: files.cert ? read("--etcd-certfile", files.cert) : undefined,
    key: files.key ? read("--etcd-keyfile", files.key) : undefined,
  };
}
