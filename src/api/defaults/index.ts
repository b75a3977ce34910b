// Defaulting entry point: applyDefaults(group, kind, obj) fills in, in place, what a Kubernetes 1.32 server
// defaults on every write of that kind (before validation). Kinds without defaults are left untouched.
import { isRecord, type JsonRecord } from "../validation/json-access.js";
import {
  setBindingDefaults,
  setNamespaceDefaults,
  setNodeDefaults,
  setSecretDefaults,
} from "./cluster-kinds.js";
import { setLimitRangeDefaults } from "./limit-range.js";
import { setPodTemplateSpecDefaults } from "./pod-spec.js";
import { setPodDisruptionBudgetDefaults } from "./policy.js";
import { setPriorityClassDefaults } from "./scheduling.js";
import { setServiceDefaults } from "./service.js";
import { setDaemonSetDefaults, setPodDefaults } from "./workloads.js";

type Defaulter = (obj: JsonRecord) => void;

function setPodTemplateDefaults(podTemplate: JsonRecord): void {
  if (!isRecord(podTemplate.template)) podTemplate.template = {};
  setPodTemplateSpecDefaults(podTemplate.template as JsonRecord);
}

const DEFAULTERS = new Map<string, Defaulter>([
  ["apps/DaemonSet", setDaemonSetDefaults],
  ["/Pod", setPodDefaults],
  ["/PodTemplate", setPodTemplateDefaults],
  ["/Namespace", setNamespaceDefaults],
  ["/Node", setNodeDefaults],
  ["/Secret", setSecretDefaults],
  ["/LimitRange", setLimitRangeDefaults],
  ["/Service", setServiceDefaults],
  ["policy/PodDisruptionBudget", setPodDisruptionBudgetDefaults],
  ["rbac.authorization.k8s.io/RoleBinding", setBindingDefaults],
  ["rbac.authorization.k8s.io/ClusterRoleBinding", setBindingDefaults],
  ["scheduling.k8s.io/PriorityClass", setPriorityClassDefaults],
]);

/** Mutates `obj`; `group` is "" for the core group. Returns the same object for chaining. */
export function applyDefaults<T>(group: string, kind: string, obj: T): T {
  if (isRecord(obj)) DEFAULTERS.get(`${group}/${kind}`)?.(obj);
  return obj;
}

export { addNamespaceCreateFinalizer, NAMESPACE_NAME_LABEL } from "./cluster-kinds.js";
export { defaultPullPolicy, imageTag } from "./image-tag.js";
export {
  setContainerDefaults,
  setPodSpecDefaults,
  setPodTemplateSpecDefaults,
  setVolumeDefaults,
} from "./pod-spec.js";
export { setDaemonSetDefaults, setPodDefaults } from "./workloads.js";
