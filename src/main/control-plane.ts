// Assembles a running control plane from its parts: storage backend, registry with watch cache, namespace
// finalizer, authentication and RBAC, HTTP(S) API server. Used by `everynode up` and by tests that need a real
// server in-process.

import { ClusterAuth, type ClusterAuthOptions } from "../apiserver/auth/cluster-auth.js";
import { ApiMetrics } from "../apiserver/metrics.js";
import { KubernetesServiceReconciler } from "../apiserver/registry/kubernetes-service.js";
import { NamespaceFinalizer } from "../apiserver/registry/namespace-finalizer.js";
import { Registry } from "../apiserver/registry/registry.js";
import type { Clock } from "../apiserver/registry/store.js";
import { ApiServer, type TlsMaterial } from "../apiserver/server.js";
import type { Backend } from "../storage/backend.js";
import type { EtcdTls } from "../storage/etcd/etcd-backend.js";
import { startAutoCompaction } from "../storage/index.js";
import { openBackend } from "../storage/registry.js";
import { createLogger, type Logger } from "../util/log.js";

export interface ControlPlaneOptions {
  /** Storage URL: sqlite:///path/state.db, etcd://host:port[/prefix], memory:// */
  store: string;
  /** TLS for an etcd:// store whose etcd requires it. */
  etcdTls?: EtcdTls;
  port: number;
  host?: string;
  tls?: TlsMaterial;
  clock?: Clock;
  logger?: Logger;
  /**
   * Authentication and authorization. Absent, requests are not checked (every request acts as a member of
   * system:masters): for in-process tests only; `everynode up` always enforces.
   */
  auth?: Omit<ClusterAuthOptions, "enforce" | "logger">;
}

export class ControlPlane {
  private compaction: { stop(): void } | undefined;

  private constructor(
    readonly backend: Backend,
    readonly registry: Registry,
    readonly server: ApiServer,
    readonly auth: ClusterAuth,
    private readonly finalizer: NamespaceFinalizer,
    readonly kubernetesService: KubernetesServiceReconciler,
    readonly port: number,
    readonly url: string,
  ) {}

  static async start(o: ControlPlaneOptions): Promise<ControlPlane> {
    const logger = o.logger ?? createLogger("apiserver");
    const metrics = new ApiMetrics();
    const backend = await openBackend(o.store, {
      etcdTls: o.etcdTls,
      onCommit: (seconds) => metrics.observeCommit(seconds),
      onCheckpointError: (message) => logger.warn({ error: message }, "SQLite checkpoint failed; will retry"),
    });
    const registry = await Registry.open(backend, { clock: o.clock });
    const finalizer = new NamespaceFinalizer(registry, logger);
    await finalizer.start();
    const auth = await ClusterAuth.start(registry, { ...o.auth, enforce: o.auth !== undefined, logger });
    const server = new ApiServer({ registry, logger, tls: o.tls, auth, metrics });
    const host = o.host ?? "127.0.0.1";
    const port = await server.listen(o.port, host);
    // A cluster without it still serves; `kubectl cluster-info` would then fail, as on a real one.
    const kubernetesService = new KubernetesServiceReconciler(registry, host, port, (err) =>
      logger.warn({ err }, "could not reconcile the kubernetes service in default"),
    );
    await kubernetesService.start();
    const url = `${o.tls ? "https" : "http"}://${host}:${port}`;
    const cp = new ControlPlane(backend, registry, server, auth, finalizer, kubernetesService, port, url);
    cp.compaction = startAutoCompaction(backend, {});
    return cp;
  }

  async stop(): Promise<void> {
    this.compaction?.stop();
    this.kubernetesService.stop();
    this.finalizer.stop();
    this.auth.stop();
    await this.server.close();
    this.registry.stop();
    await this.backend.close();
  }
}
