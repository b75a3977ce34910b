// Marks the pods of a node that stopped being ready as not Ready themselves (upstream MarkPodsNotReady), so
// Services and controllers counting ready pods (a DaemonSet's numberReady) stop counting them.

import { isNotFound } from "../../api/errors.js";
import { deepCopy } from "../../api/object.js";
import { findResource } from "../../api/resources.js";
import type { Client } from "../../client/client.js";
import type { EventRecorder } from "../../client/event-recorder.js";
import { rfc3339 } from "./node-conditions.js";
import type { PodObject } from "./taint-eviction.js";

const PODS = findResource("", "v1", "pods")!;

/** Sets Ready=False on each of `pods` bound to `nodeName` that is Ready now; throws if some update failed. */
export async function markPodsNotReady(
  client: Client,
  recorder: EventRecorder,
  pods: readonly PodObject[],
  nodeName: string,
  now: number,
): Promise<void> {
  const failures: unknown[] = [];
  for (const pod of pods) {
    if (pod.spec?.nodeName !== nodeName) continue;
    const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
    if (!ready || ready.status === "False") continue;
    const updated = deepCopy(pod);
    const condition = updated.status!.conditions!.find((c) => c.type === "Ready")!;
    condition.status = "False";
    condition.lastTransitionTime = rfc3339(now);
    try {
      await client.update(PODS, pod.metadata.namespace, updated, { subresource: "status" });
    } catch (err) {
      // A pod that is gone needs no update.
      if (!isNotFound(err)) failures.push(err);
      continue;
    }
    recorder.event(pod, "Warning", "NodeNotReady", "Node is not ready");
  }
  if (failures.length > 0)
    throw new AggregateError(failures, `unable to mark pods NotReady on node ${nodeName}`);
}
