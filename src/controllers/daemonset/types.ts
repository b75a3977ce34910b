// The object shapes and well-known keys the DaemonSet policy functions read. Structural, so both kubernetes-types
// objects and the plain KubeObjects of informers fit.
import type { DaemonSetSpec, DaemonSetStatus, DaemonSetUpdateStrategy } from "kubernetes-types/apps/v1.js";
import type { PodSpec, PodStatus } from "kubernetes-types/core/v1.js";
import type { ObjectMeta } from "../../api/object.js";
import type { NodeLike } from "../../api/scheduling/node-affinity.js";

export type { NodeLike };

export interface PodLike {
  metadata?: ObjectMeta;
  spec?: PodSpec;
  status?: PodStatus;
}

export interface DaemonSetLike {
  metadata?: ObjectMeta;
  spec?: Partial<DaemonSetSpec> & { updateStrategy?: DaemonSetUpdateStrategy };
  status?: Partial<DaemonSetStatus>;
}

export interface ControllerRevisionLike {
  metadata?: ObjectMeta;
  data?: unknown;
  revision?: number;
}

/** apps.DefaultDaemonSetUniqueLabelKey: the revision hash on pods and ControllerRevisions. */
export const CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash";
/** extensions.DaemonSetTemplateGenerationKey: the template generation a pod was created from. */
export const POD_TEMPLATE_GENERATION_LABEL = "pod-template-generation";
/** apps.DeprecatedTemplateGeneration: the DaemonSet annotation the registry bumps on template changes. */
export const TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

/** The event the controller records on the DaemonSet (the caller sends it). */
export interface DaemonSetEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export const EventReason = {
  SelectingAll: "SelectingAll",
  FailedPlacement: "FailedPlacement",
  FailedDaemonPod: "FailedDaemonPod",
  SucceededDaemonPod: "SucceededDaemonPod",
  SuccessfulCreate: "SuccessfulCreate",
  FailedCreate: "FailedCreate",
  SuccessfulDelete: "SuccessfulDelete",
  FailedDelete: "FailedDelete",
} as const;
