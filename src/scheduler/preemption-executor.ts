// Carries out a preemption decision (Evaluator.prepareCandidate and PreemptPod, 1.32): every victim not yet
// terminating is marked DisruptionTarget=True (PreemptionByScheduler), deleted gracefully and gets a
// "Preempted" event; then lower-priority pods nominated to the same node lose their nomination.
import { isConflict, isNotFound } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import { DISRUPTION_TARGET, updatePodCondition } from "../api/pod-conditions.js";
import { PODS } from "../api/resources.js";
import type { Client } from "../client/client.js";
import type { EventRecorder } from "../client/event-recorder.js";
import type { Clock } from "../util/clock.js";
import { PREEMPTION_BY_SCHEDULER } from "./preemption.js";

export interface PreemptionExecutorOptions {
  client: Client;
  recorder: EventRecorder;
  clock: Clock;
  /** The preemptor's scheduler, named in the DisruptionTarget message. */
  schedulerName: string;
}

/** Informer lists leave out kind and apiVersion; events need them in involvedObject. */
const asPod = (pod: KubeObject): KubeObject => (pod.kind ? pod : { ...pod, apiVersion: "v1", kind: "Pod" });

/** Deleted, or replaced by a pod of the same name: either way the victim is gone. */
const victimGone = (err: unknown): boolean => isNotFound(err) || isConflict(err);

export class PreemptionExecutor {
  constructor(private readonly o: PreemptionExecutorOptions) {}

  /**
   * Evicts `victims` from `nodeName` for `preemptor` (in parallel; the first failure is thrown once all have
   * settled), then clears the nomination of `lowerNominated`.
   */
  async prepareCandidate(
    preemptor: KubeObject,
    nodeName: string,
    victims: readonly KubeObject[],
    lowerNominated: readonly KubeObject[],
  ): Promise<void> {
    const results = await Promise.allSettled(
      victims
        .filter((victim) => !victim.metadata.deletionTimestamp)
        .map((victim) => this.preemptPod(preemptor, victim, nodeName)),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    // Not critical: a nomination left behind only delays that pod until its next attempt.
    await Promise.allSettled(lowerNominated.map((pod) => this.clearNominatedNodeName(pod)));
  }

  /** PreemptPod: the DisruptionTarget condition first, so the victim's owners see why it goes. */
  private async preemptPod(preemptor: KubeObject, victim: KubeObject, nodeName: string): Promise<void> {
    const { namespace, name, uid } = victim.metadata;
    const marked = { ...victim, status: { ...victim.status } };
    const changed = updatePodCondition(
      marked,
      {
        type: DISRUPTION_TARGET,
        status: "True",
        reason: PREEMPTION_BY_SCHEDULER,
        message: `${this.o.schedulerName}: preempting to accommodate a higher priority pod`,
      },
      this.o.clock.now(),
    );
    try {
      if (changed) {
        const condition = marked.status.conditions.find(
          (c: { type: string }) => c.type === DISRUPTION_TARGET,
        );
        await this.o.client.patch(
          PODS,
          namespace,
          name!,
          "strategic",
          { metadata: { uid }, status: { conditions: [condition] } },
          { subresource: "status" },
        );
      }
      await this.o.client.delete(PODS, namespace, name!, { preconditions: { uid } });
    } catch (err) {
      if (victimGone(err)) return;
      throw err;
    }
    this.o.recorder.event(
      asPod(victim),
      "Normal",
      "Preempted",
      `Preempted by pod ${preemptor.metadata.uid} on node ${nodeName}`,
    );
  }

  private async clearNominatedNodeName(pod: KubeObject): Promise<void> {
    if (!pod.status?.nominatedNodeName) return;
    await this.o.client.patch(
      PODS,
      pod.metadata.namespace,
      pod.metadata.name!,
      "strategic",
      { metadata: { uid: pod.metadata.uid }, status: { nominatedNodeName: null } },
      { subresource: "status" },
    );
  }
}
