// Hands out one SharedInformer per resource (and scope), so every controller in a process shares the same
// list+watch and cache (client-go's SharedInformerFactory), and starts them all under one signal.
import type { KubeObject } from "../api/object.js";
import type { Client, ResourceType } from "../client/client.js";
import { untilAborted } from "../util/clock.js";
import { SharedInformer, type SharedInformerOptions } from "./shared-informer.js";

/** What distinguishes two informers of the same resource. */
export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export class InformerFactory {
  private readonly informers = new Map<string, SharedInformer<any>>();
  private readonly runs: Promise<void>[] = [];
  private signal: AbortSignal | undefined;

  /** `defaults` apply to every informer (e.g. one namespace for all, timer, logger). */
  constructor(
    private readonly client: Client,
    private readonly defaults: SharedInformerOptions = {},
  ) {}

  /**
   * The shared informer for `type` in `scope`, created on first use. Informers created after start() start
   * at once under the same signal.
   */
  informerFor<T extends KubeObject = KubeObject>(
    type: ResourceType,
    scope: InformerScope = {},
  ): SharedInformer<T> {
    const merged = { ...this.defaults, ...scope };
    const key = [
      type.group,
      type.version,
      type.resource,
      merged.namespace,
      merged.labelSelector,
      merged.fieldSelector,
    ]
      .map((part) => part ?? "")
      .join("|");
    let informer = this.informers.get(key) as SharedInformer<T> | undefined;
    if (!informer) {
      informer = new SharedInformer<T>(this.client, type, merged);
      this.informers.set(key, informer);
      if (this.signal) this.runs.push(informer.start(this.signal));
    }
    return informer;
  }

  /** Every informer handed out so far. */
  all(): SharedInformer[] {
    return [...this.informers.values()];
  }

  /** Starts every informer; resolves once `signal` has aborted and all of them have stopped. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.signal) throw new Error("InformerFactory.start called twice");
    this.signal = signal;
    for (const informer of this.informers.values()) this.runs.push(informer.start(signal));
    await untilAborted(signal);
    // Informers created while stopping are in `runs` too; wait until the list stops growing.
    for (let seen = 0; seen < this.runs.length; seen = this.runs.length)
      await Promise.all(this.runs.slice(seen));
  }

  /** Resolves true once every informer handed out so far has synced, false if `signal` aborts first. */
  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all(this.all().map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }
}
