// The namespace controller's job, run beside the registry: when a namespace is deleted, delete everything in
// it, then clear its "kubernetes" spec finalizer so the namespace itself goes away (upstream
// pkg/controller/namespace). Triggered by the namespace watch, never by polling.
import type { Logger } from "pino";
import type { KubeObject } from "../../api/object.js";
import type { Registry } from "./registry.js";
import type { WatchHandle } from "./store.js";

const RETRY_MS = 1000;

export class NamespaceFinalizer {
  private watch: WatchHandle | undefined;
  private readonly busy = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly registry: Registry,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const namespaces = this.registry.store({ group: "", resource: "namespaces" });
    this.watch = await namespaces.watch(
      undefined,
      {},
      {
        send: (events) => {
          for (const e of events)
            if (e.type !== "DELETED" && e.object.metadata.deletionTimestamp) this.enqueue(e.object);
        },
      },
    );
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    for (const t of this.timers) clearTimeout(t);
  }

  private enqueue(ns: KubeObject): void {
    const name = ns.metadata.name!;
    if (this.busy.has(name) || this.stopped) return;
    this.busy.add(name);
    void this.finalize(name).finally(() => this.busy.delete(name));
  }

  private async finalize(name: string): Promise<void> {
    let remaining = 0;
    for (const store of this.registry.allStores()) {
      if (!store.info.namespaced) continue;
      try {
        const { items } = await store.list(name);
        for (const item of items) {
          remaining++;
          if (item.metadata.deletionTimestamp) continue;
          await store.delete(name, item.metadata.name!, { propagationPolicy: "Background" }).catch((err) => {
            if (err?.code !== 404) throw err;
          });
        }
      } catch (err) {
        this.logger.warn(
          { err, namespace: name, resource: store.info.resource },
          "namespace cleanup failed; retrying",
        );
      }
    }
    if (this.stopped) return;
    // Objects still terminating (graceful pods, finalizers) keep the namespace until they are gone.
    const stillThere = remaining > 0 && (await this.countContents(name)) > 0;
    if (stillThere) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        const ns = this.registry.store({ group: "", resource: "namespaces" }).getOrUndefined("", name);
        if (ns) this.enqueue(ns);
      }, RETRY_MS);
      this.timers.add(t);
      return;
    }
    const namespaces = this.registry.store({ group: "", resource: "namespaces" });
    const ns = namespaces.getOrUndefined("", name);
    if (!ns) return;
    const finalizers = (ns.spec?.finalizers ?? []).filter((f: string) => f !== "kubernetes");
    await namespaces
      .update("", name, { ...ns, spec: { ...ns.spec, finalizers } }, { subresource: "finalize" })
      .catch((err) => this.logger.warn({ err, namespace: name }, "could not finalize namespace"));
  }

  private async countContents(name: string): Promise<number> {
    let n = 0;
    for (const store of this.registry.allStores()) {
      if (store.info.namespaced) n += (await store.list(name)).items.length;
    }
    return n;
  }
}
