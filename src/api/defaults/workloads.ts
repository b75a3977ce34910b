// Defaults of Pods (SetDefaults_Pod on top of the pod-spec defaults) and of apps/v1 DaemonSets
// (SetDefaults_DaemonSet: RollingUpdate 1/0, revisionHistoryLimit 10, then the template's defaults).
import { isRecord, isSet, type JsonRecord, recordItems } from "../validation/json-access.js";
import { setPodSpecDefaults, setPodTemplateSpecDefaults } from "./pod-spec.js";

/** Requests default to limits for every resource that has a limit but no request. */
function defaultRequestsFromLimits(container: JsonRecord): void {
  const resources = container.resources;
  if (!isRecord(resources) || !isRecord(resources.limits)) return;
  const requests = isRecord(resources.requests) ? resources.requests : {};
  for (const [name, limit] of Object.entries(resources.limits))
    if (!isSet(requests[name])) requests[name] = limit;
  resources.requests = requests;
}

/** With host networking every container port is also a host port. */
function defaultHostNetworkPorts(containers: unknown): void {
  for (const c of recordItems(containers)) {
    for (const port of recordItems(c.ports)) if (!port.hostPort) port.hostPort = port.containerPort;
  }
}

export function setPodDefaults(pod: JsonRecord): void {
  if (!isRecord(pod.spec)) pod.spec = {};
  const spec = pod.spec as JsonRecord;
  recordItems(spec.containers).forEach(defaultRequestsFromLimits);
  recordItems(spec.initContainers).forEach(defaultRequestsFromLimits);
  if (!isSet(spec.enableServiceLinks)) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    defaultHostNetworkPorts(spec.containers);
    defaultHostNetworkPorts(spec.initContainers);
  }
  setPodSpecDefaults(spec);
}

/** DaemonSetStatus counts without omitempty: a 1.32 server always shows these four, zero or not. */
const ALWAYS_ENCODED_STATUS = [
  "currentNumberScheduled",
  "desiredNumberScheduled",
  "numberMisscheduled",
  "numberReady",
];

export function setDaemonSetDefaults(ds: JsonRecord): void {
  if (!isRecord(ds.spec)) ds.spec = {};
  const spec = ds.spec as JsonRecord;
  if (!isRecord(spec.updateStrategy)) spec.updateStrategy = {};
  const strategy = spec.updateStrategy as JsonRecord;
  if (!isSet(strategy.type) || strategy.type === "") strategy.type = "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    if (!isRecord(strategy.rollingUpdate)) strategy.rollingUpdate = {};
    const rollingUpdate = strategy.rollingUpdate as JsonRecord;
    if (!isSet(rollingUpdate.maxUnavailable)) rollingUpdate.maxUnavailable = 1;
    if (!isSet(rollingUpdate.maxSurge)) rollingUpdate.maxSurge = 0;
  }
  if (!isSet(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (!isRecord(spec.template)) spec.template = {};
  setPodTemplateSpecDefaults(spec.template as JsonRecord);
  if (!isRecord(ds.status)) ds.status = {};
  const status = ds.status as JsonRecord;
  for (const field of ALWAYS_ENCODED_STATUS) if (!isSet(status[field])) status[field] = 0;
}
