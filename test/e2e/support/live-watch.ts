// A `kubectl get -w` replayed while it runs: each catch-up folds the events printed since the last one into the
// live set of objects and hands every intermediate set to an observer, so a rollout's invariants are judged at
// (about) the time of each change rather than between polls.
import type { Kubectl } from "../../support/kubectl.js";
import { KubectlWatch } from "./kubectl-watch.js";
import type { Manifest } from "./manifests.js";

export class LiveWatch {
  private readonly live = new Map<string, Manifest>();
  private seen = 0;

  /**
   * @param settled how many events make up the initial list (kubectl prints it as one ADDED event per object):
   *   the observer is called from that event on, never with a partial list.
   */
  private constructor(
    private readonly watch: KubectlWatch,
    private readonly settled: number,
    private readonly observe: (objects: Manifest[]) => void,
  ) {}

  /** Starts `kubectl get <args> -w`. */
  static start(
    k: Kubectl,
    args: string[],
    settled: number,
    observe: (objects: Manifest[]) => void,
  ): LiveWatch {
    return new LiveWatch(KubectlWatch.start(k, args), settled, observe);
  }

  /** Replays the events printed since the last call; returns the live objects. */
  catchUp(): Manifest[] {
    const events = this.watch.events();
    for (; this.seen < events.length; this.seen++) {
      const { type, object } = events[this.seen];
      if (type === "DELETED") this.live.delete(object.metadata.uid);
      else this.live.set(object.metadata.uid, object);
      if (this.seen + 1 >= this.settled) this.observe([...this.live.values()]);
    }
    return [...this.live.values()];
  }

  /** Raw output, for failure messages. */
  output(): string {
    return this.watch.output();
  }

  /** Stops kubectl and replays whatever it printed last; returns the live objects. */
  async stop(): Promise<Manifest[]> {
    await this.watch.stop();
    return this.catchUp();
  }
}
