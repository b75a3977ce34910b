// Schemas of apps/v1 DaemonSet and ControllerRevision.

import { definition, int32, int64, list, ref, str } from "./builders.js";
import { PodTemplateSpec } from "./core-pod.js";
import { IntOrString, LabelSelector, objectMetaField, RawExtension, Time, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

export const RollingUpdateDaemonSet: Schema = definition(
  "io.k8s.api.apps.v1.RollingUpdateDaemonSet",
  "Limits that pace a daemon set rolling update.",
  {
    maxUnavailable: ref(
      IntOrString,
      "Most nodes whose daemon pod may be unavailable during the update, as a count or percentage.",
    ),
    maxSurge: ref(
      IntOrString,
      "Most nodes that may run an old and a new daemon pod at the same time, as a count or percentage.",
    ),
  },
);

export const DaemonSetUpdateStrategy: Schema = definition(
  "io.k8s.api.apps.v1.DaemonSetUpdateStrategy",
  "The method used to replace old daemon pods with new ones.",
  {
    type: str("RollingUpdate (the default) or OnDelete.", { enum: ["OnDelete", "RollingUpdate"] }),
    rollingUpdate: ref(RollingUpdateDaemonSet, "Tuning for the RollingUpdate strategy."),
  },
);

export const DaemonSetSpec: Schema = definition(
  "io.k8s.api.apps.v1.DaemonSetSpec",
  "What a daemon set runs and how it rolls out changes.",
  {
    selector: ref(
      LabelSelector,
      "Label query selecting the pods this daemon set owns; must match the template labels.",
    ),
    template: ref(PodTemplateSpec, "The pod created on each eligible node."),
    updateStrategy: ref(DaemonSetUpdateStrategy, "How existing pods are replaced when the template changes."),
    minReadySeconds: int32("Seconds a new pod must stay ready before it counts as available."),
    revisionHistoryLimit: int32("How many old ControllerRevisions to keep for rollback."),
  },
  { required: ["selector", "template"] },
);

export const DaemonSetCondition: Schema = definition(
  "io.k8s.api.apps.v1.DaemonSetCondition",
  "One aspect of a daemon set's state.",
  {
    type: str("The kind of condition."),
    status: str("True, False or Unknown."),
    lastTransitionTime: ref(Time, "When the condition last changed from one status to another."),
    reason: str("A short machine-readable word explaining the last transition."),
    message: str("A human-readable explanation of the last transition."),
  },
  { required: ["type", "status"] },
);

export const DaemonSetStatus: Schema = definition(
  "io.k8s.api.apps.v1.DaemonSetStatus",
  "Counters and conditions reported by the daemon set controller.",
  {
    currentNumberScheduled: int32("Nodes running at least one daemon pod that should run it."),
    numberMisscheduled: int32("Nodes running a daemon pod that should not run it."),
    desiredNumberScheduled: int32("Nodes that should run the daemon pod."),
    numberReady: int32("Nodes that should run the daemon pod and have one ready."),
    observedGeneration: int64("The daemon set generation the controller last acted on."),
    updatedNumberScheduled: int32("Nodes running a daemon pod from the current template."),
    numberAvailable: int32("Nodes that should run the daemon pod and have one available."),
    numberUnavailable: int32("Nodes that should run the daemon pod and have none available."),
    collisionCount: int32("Hash collision counter used when naming new ControllerRevisions."),
    conditions: list(DaemonSetCondition, "The latest observations of the daemon set's state.", {
      patchStrategy: "merge",
      patchMergeKey: "type",
      listType: "map",
      listMapKeys: ["type"],
    }),
  },
  { required: ["currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"] },
);

export const DaemonSet: Schema = definition(
  "io.k8s.api.apps.v1.DaemonSet",
  "Runs one copy of a pod on every eligible node.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    spec: ref(DaemonSetSpec, "The desired behaviour of the daemon set."),
    status: ref(DaemonSetStatus, "The observed state of the daemon set, written by its controller."),
  },
  { gvk: { group: "apps", version: "v1", kind: "DaemonSet" } },
);

export const ControllerRevision: Schema = definition(
  "io.k8s.api.apps.v1.ControllerRevision",
  "An immutable snapshot of a controller's template, used for history and rollback.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    data: ref(RawExtension, "The serialised state of this revision."),
    revision: int64("Sequence number of this revision."),
  },
  { required: ["revision"], gvk: { group: "apps", version: "v1", kind: "ControllerRevision" } },
);
