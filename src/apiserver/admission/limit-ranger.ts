// LimitRanger admission for pods (upstream plugin/pkg/admission/limitranger), against one LimitRange at a time:
// on create, containers and init containers get the Container item's defaultRequest and default for every
// resource they leave unset (recorded in the kubernetes.io/limit-ranger annotation); then each container must meet
// the Container item's bounds and the pod's aggregate the Pod item's. PersistentVolumeClaim items are not
// enforced: claims are not served.
import type { KubeObject } from "../../api/object.js";
import { aggregateContainers } from "../../api/quota/pod-usage.js";
import { parseResourceList } from "../../api/quota/resource-list.js";
import { asRecords, isRecord, type JsonRecord } from "../../api/validation/json-access.js";
import { boundsOf, checkBounds } from "./limit-constraints.js";

export const LIMIT_RANGER_ANNOTATION = "kubernetes.io/limit-ranger";

const itemsOf = (limitRange: KubeObject): JsonRecord[] => asRecords(limitRange.spec?.limits);

interface ContainerDefaults {
  requests: JsonRecord;
  limits: JsonRecord;
}

/** defaultContainerResourceRequirements: the Container items' defaultRequest and default, merged. */
function containerDefaults(limitRange: KubeObject): ContainerDefaults {
  const defaults: ContainerDefaults = { requests: {}, limits: {} };
  for (const item of itemsOf(limitRange)) {
    if (item.type !== "Container") continue;
    if (isRecord(item.defaultRequest)) Object.assign(defaults.requests, item.defaultRequest);
    if (isRecord(item.default)) Object.assign(defaults.limits, item.default);
  }
  return defaults;
}

/** Fills in the entries of `defaults` that resources[key] lacks; returns their names, sorted. */
function fill(resources: JsonRecord, key: "requests" | "limits", defaults: JsonRecord): string[] {
  const names = Object.keys(defaults).filter(
    (name) => !isRecord(resources[key]) || !(name in resources[key]),
  );
  if (names.length === 0) return [];
  const list: JsonRecord = isRecord(resources[key]) ? resources[key] : {};
  for (const name of names) list[name] = defaults[name];
  resources[key] = list;
  return names.sort();
}

/** mergeContainerResources: one container's defaults, and the annotation notes that describe them. */
function mergeContainer(container: JsonRecord, defaults: ContainerDefaults, label: string): string[] {
  if (!isRecord(container.resources)) container.resources = {};
  const resources = container.resources as JsonRecord;
  const limits = fill(resources, "limits", defaults.limits);
  const requests = fill(resources, "requests", defaults.requests);
  const name = String(container.name ?? "");
  const notes: string[] = [];
  if (requests.length > 0) notes.push(`${requests.join(", ")} request for ${label} ${name}`);
  if (limits.length > 0) notes.push(`${limits.join(", ")} limit for ${label} ${name}`);
  return notes;
}

/**
 * PodMutateLimitFunc: applies the LimitRange's container defaults to a pod being created. Returns whether the
 * pod changed. The annotation names what this LimitRange filled in (a later one that fills more replaces it).
 */
export function applyContainerDefaults(limitRange: KubeObject, pod: KubeObject): boolean {
  const defaults = containerDefaults(limitRange);
  if (Object.keys(defaults.requests).length === 0 && Object.keys(defaults.limits).length === 0) return false;
  const notes = [
    ...asRecords(pod.spec?.containers).flatMap((c) => mergeContainer(c, defaults, "container")),
    ...asRecords(pod.spec?.initContainers).flatMap((c) => mergeContainer(c, defaults, "init container")),
  ];
  if (notes.length === 0) return false;
  pod.metadata.annotations = {
    ...pod.metadata.annotations,
    [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join("; ")}`,
  };
  return true;
}

/**
 * PodValidateLimitFunc on create: what the pod breaks of the LimitRange's Container bounds (every container,
 * then every init container) and Pod bounds (its requests and limits as the scheduler sums them), in order.
 */
export function podLimitViolations(limitRange: KubeObject, pod: KubeObject): string[] {
  const violations: string[] = [];
  for (const item of itemsOf(limitRange).map(boundsOf)) {
    if (item.type === "Container") {
      const containers = [...asRecords(pod.spec?.containers), ...asRecords(pod.spec?.initContainers)];
      for (const c of containers) {
        const resources = isRecord(c.resources) ? c.resources : {};
        violations.push(
          ...checkBounds(item, parseResourceList(resources.requests), parseResourceList(resources.limits)),
        );
      }
    } else if (item.type === "Pod") {
      const requests = aggregateContainers(pod.spec, (c) => c?.resources?.requests);
      const limits = aggregateContainers(pod.spec, (c) => c?.resources?.limits);
      violations.push(...checkBounds(item, requests, limits));
    }
  }
  return violations;
}
