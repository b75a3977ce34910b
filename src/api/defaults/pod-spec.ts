// Defaults of core/v1 pod specs, as the generated SetObjectDefaults_Pod / _PodTemplate apply them:
// SetDefaults_PodSpec, _Container, _Probe, _HTTPGetAction, _Volume and the volume-source defaulters.
// Everything mutates in place and only fills fields that are absent (or zero where upstream checks zero).
import {
  asNumber,
  asRecord,
  isRecord,
  isSet,
  type JsonRecord,
  recordItems,
} from "../validation/json-access.js";
import { defaultPullPolicy } from "./image-tag.js";

/** The default file mode of configMap, secret, downwardAPI and projected volumes (0644). */
export const DEFAULT_VOLUME_MODE = 0o644;
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/** Sets `obj[key]` when it is absent or null. */
function fill(obj: JsonRecord, key: string, value: unknown): void {
  if (!isSet(obj[key])) obj[key] = value;
}

/** Sets `obj[key]` when it is absent or the empty string (Go's zero value for string fields). */
function fillString(obj: JsonRecord, key: string, value: string): void {
  if (!isSet(obj[key]) || obj[key] === "") obj[key] = value;
}

/** Sets `obj[key]` when it is absent or 0 (Go's zero value for int fields). */
function fillNumber(obj: JsonRecord, key: string, value: number): void {
  if (asNumber(obj[key]) === 0) obj[key] = value;
}

function setFieldRefDefaults(holder: JsonRecord): void {
  if (isRecord(holder.fieldRef)) fillString(holder.fieldRef, "apiVersion", "v1");
}

function setHTTPGetDefaults(handler: unknown): void {
  const httpGet = asRecord(handler).httpGet;
  if (!isRecord(httpGet)) return;
  fillString(httpGet, "path", "/");
  fillString(httpGet, "scheme", "HTTP");
}

function setProbeDefaults(probe: unknown): void {
  if (!isRecord(probe)) return;
  fillNumber(probe, "timeoutSeconds", 1);
  fillNumber(probe, "periodSeconds", 10);
  fillNumber(probe, "successThreshold", 1);
  fillNumber(probe, "failureThreshold", 3);
  setHTTPGetDefaults(probe);
  if (isRecord(probe.grpc)) fill(probe.grpc, "service", "");
}

/** SetDefaults_Container plus the per-field defaults the generated code applies inside a container. */
export function setContainerDefaults(container: JsonRecord): void {
  fillString(
    container,
    "imagePullPolicy",
    defaultPullPolicy(typeof container.image === "string" ? container.image : ""),
  );
  fillString(container, "terminationMessagePath", "/dev/termination-log");
  fillString(container, "terminationMessagePolicy", "File");
  for (const port of recordItems(container.ports)) fillString(port, "protocol", "TCP");
  for (const env of recordItems(container.env))
    if (isRecord(env.valueFrom)) setFieldRefDefaults(env.valueFrom);
  setProbeDefaults(container.livenessProbe);
  setProbeDefaults(container.readinessProbe);
  setProbeDefaults(container.startupProbe);
  if (isRecord(container.lifecycle)) {
    setHTTPGetDefaults(container.lifecycle.postStart);
    setHTTPGetDefaults(container.lifecycle.preStop);
  }
  // Not a defaulter but the wire shape: Go always encodes this non-pointer struct, so servers show `{}`.
  fill(container, "resources", {});
}

function setProjectedDefaults(projected: JsonRecord): void {
  fill(projected, "defaultMode", DEFAULT_VOLUME_MODE);
  for (const source of recordItems(projected.sources)) {
    if (isRecord(source.downwardAPI)) recordItems(source.downwardAPI.items).forEach(setFieldRefDefaults);
    if (isRecord(source.serviceAccountToken)) fill(source.serviceAccountToken, "expirationSeconds", 3600);
  }
}

/** Defaulters of the less common volume sources, field by field. */
const SOURCE_FIELD_DEFAULTS: Record<string, Record<string, unknown>> = {
  iscsi: { iscsiInterface: "default" },
  rbd: { pool: "rbd", user: "admin", keyring: "/etc/ceph/keyring" },
  azureDisk: { cachingMode: "ReadWrite", fsType: "ext4", readOnly: false, kind: "Shared" },
  scaleIO: { storageMode: "ThinProvisioned", fsType: "xfs" },
};

/** SetDefaults_Volume (no source → emptyDir) and the defaulters of each source. */
export function setVolumeDefaults(volume: JsonRecord): void {
  const hasSource = Object.keys(volume).some((k) => k !== "name" && isSet(volume[k]));
  if (!hasSource) volume.emptyDir = {};
  if (isRecord(volume.hostPath)) fill(volume.hostPath, "type", "");
  if (isRecord(volume.secret)) fill(volume.secret, "defaultMode", DEFAULT_VOLUME_MODE);
  if (isRecord(volume.configMap)) fill(volume.configMap, "defaultMode", DEFAULT_VOLUME_MODE);
  if (isRecord(volume.downwardAPI)) {
    fill(volume.downwardAPI, "defaultMode", DEFAULT_VOLUME_MODE);
    recordItems(volume.downwardAPI.items).forEach(setFieldRefDefaults);
  }
  if (isRecord(volume.projected)) setProjectedDefaults(volume.projected);
  for (const [source, defaults] of Object.entries(SOURCE_FIELD_DEFAULTS)) {
    const src = volume[source];
    if (isRecord(src)) for (const [k, v] of Object.entries(defaults)) fill(src, k, v);
  }
  const claimTemplate = asRecord(volume.ephemeral).volumeClaimTemplate;
  if (isRecord(claimTemplate) && isRecord(claimTemplate.spec))
    fill(claimTemplate.spec, "volumeMode", "Filesystem");
}

/** SetDefaults_PodSpec and everything nested in the spec. */
export function setPodSpecDefaults(spec: JsonRecord): void {
  fillString(spec, "dnsPolicy", "ClusterFirst");
  fillString(spec, "restartPolicy", "Always");
  fill(spec, "securityContext", {});
  fill(spec, "terminationGracePeriodSeconds", DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  fillString(spec, "schedulerName", "default-scheduler");
  recordItems(spec.volumes).forEach(setVolumeDefaults);
  recordItems(spec.initContainers).forEach(setContainerDefaults);
  recordItems(spec.containers).forEach(setContainerDefaults);
  recordItems(spec.ephemeralContainers).forEach(setContainerDefaults);
}

/** Pod templates (DaemonSet, PodTemplate): spec defaults only; SetDefaults_Pod is for Pods. */
export function setPodTemplateSpecDefaults(template: JsonRecord): void {
  if (!isRecord(template.metadata)) template.metadata = {};
  // Wire shape of 1.32: the template's zero creationTimestamp is encoded as null.
  fill(template.metadata as JsonRecord, "creationTimestamp", null);
  if (!isRecord(template.spec)) template.spec = {};
  setPodSpecDefaults(template.spec as JsonRecord);
}
