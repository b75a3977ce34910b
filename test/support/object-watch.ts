// A live view of one namespace's objects of one resource, fed by a watch that starts at a list's
// resourceVersion: every change is seen in order, so invariants can be checked after each event instead of
// between polls.
import type { KubeObject } from "../../src/api/object.js";
import type { Client, ResourceType, WatchEvent } from "../../src/client/client.js";

export class ObjectWatch {
  /** Current objects by uid. */
  readonly objects = new Map<string, KubeObject>();
  /** Every event received, in order. */
  readonly events: WatchEvent[] = [];
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;
  private failure: unknown;

  private constructor(
    client: Client,
    type: ResourceType,
    namespace: string,
    resourceVersion: string,
    private readonly onChange: (objects: KubeObject[], event: WatchEvent) => void,
  ) {
    this.done = (async () => {
      const stream = client.watch(type, namespace, { resourceVersion }, this.abort.signal);
      for await (const event of stream) {
        if (event.type === "ERROR") throw new Error(`watch failed: ${JSON.stringify(event.object)}`);
        if (event.type === "BOOKMARK") continue;
        this.events.push(event);
        const uid = event.object.metadata.uid ?? "";
        if (event.type === "DELETED") this.objects.delete(uid);
        else this.objects.set(uid, event.object);
        this.onChange(this.snapshot(), event);
      }
    })().catch((err) => {
      this.failure = err;
    });
  }

  /** Lists the namespace, then watches from the list's resourceVersion; `onChange` runs after every event. */
  static async start(
    client: Client,
    type: ResourceType,
    namespace: string,
    onChange: (objects: KubeObject[], event: WatchEvent) => void = () => {},
  ): Promise<ObjectWatch> {
    const list = await client.list(type, namespace);
    const watch = new ObjectWatch(client, type, namespace, list.resourceVersion, onChange);
    for (const obj of list.items) watch.objects.set(obj.metadata.uid ?? "", obj);
    return watch;
  }

  snapshot(): KubeObject[] {
    return [...this.objects.values()];
  }

  /** Ends the watch; rethrows a failure of the stream or of `onChange`. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
    if (this.failure) throw this.failure;
  }
}
