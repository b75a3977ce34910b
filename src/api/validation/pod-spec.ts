// ValidatePodSpec and ValidatePodTemplateSpec: the whole pod spec, shared by Pods and by the templates of
// DaemonSets, in upstream's check order so multi-error messages list problems as a real server does.
import { duplicate, type FieldError, forbidden, invalid, notSupported, required } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import {
  asArray,
  asNumber,
  asRecord,
  asRecords,
  asString,
  isRecord,
  isSet,
  type JsonRecord,
} from "./json-access.js";
import { validateLabelName, validateLabels } from "./labels.js";
import { validateAnnotations } from "./meta.js";
import {
  inclusiveRangeError,
  isDNS1123Label,
  isQualifiedName,
  isValidIP,
  isValidUserOrGroupID,
  MAX_INT32,
  nameIsDNSSubdomain,
} from "./names.js";
import {
  type ContainerContext,
  validateContainers,
  validateInitContainers,
  validateSeccompProfile,
} from "./pod-containers.js";
import {
  validateAffinity,
  validateTolerations,
  validateTopologySpreadConstraints,
} from "./pod-scheduling.js";
import { validateVolumes } from "./pod-volumes.js";

const RESTART_POLICIES = ["Always", "OnFailure", "Never"];
const DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const PREEMPTION_POLICIES = ["PreemptLowerPriority", "Never"];
const FS_GROUP_CHANGE_POLICIES = ["Always", "OnRootMismatch"];
const OS_NAMES = ["linux", "windows"];
const SYSCTL_SEGMENT = "[a-z0-9]([-_a-z0-9]*[a-z0-9])?";
const sysctlRe = new RegExp(`^(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}$`);
const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;
const MAX_DNS_SEARCH_CHARS = 2048;
const POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
const MIRROR_POD = "kubernetes.io/config.mirror";

export interface PodSpecOptions {
  /** The spec belongs to a Pod (not a template): hostNetwork ports must equal container ports. */
  resourceIsPod: boolean;
}

export function validateIP(value: string, path: FieldPath): FieldError[] {
  return isValidIP(value)
    ? []
    : [invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")];
}

function validateRestartPolicy(policy: string, path: FieldPath): FieldError[] {
  if (policy.length === 0) return [required(path)];
  return RESTART_POLICIES.includes(policy) ? [] : [notSupported(path, policy, RESTART_POLICIES)];
}

function validateDNSPolicy(policy: string, path: FieldPath): FieldError[] {
  if (policy.length === 0) return [required(path)];
  return DNS_POLICIES.includes(policy) ? [] : [notSupported(path, policy, DNS_POLICIES)];
}

function validateHostNetworkPorts(spec: JsonRecord, opts: PodSpecOptions, path: FieldPath): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errs: FieldError[] = [];
  asRecords(spec.containers).forEach((c, i) => {
    asRecords(c.ports).forEach((port, j) => {
      const hostPort = asNumber(port.hostPort);
      const containerPort = asNumber(port.containerPort);
      // Templates may leave hostPort unset: it is defaulted when the Pod itself is created.
      if ((opts.resourceIsPod || hostPort !== 0) && hostPort !== containerPort) {
        errs.push(
          invalid(
            path.child("containers").index(i).child("ports").index(j).child("hostPort"),
            hostPort,
            "must match `containerPort` when `hostNetwork` is true",
          ),
        );
      }
    });
  });
  return errs;
}

function validatePodSecurityContext(spec: JsonRecord, path: FieldPath): FieldError[] {
  const sc = spec.securityContext;
  if (!isRecord(sc)) return [];
  const errs: FieldError[] = [];
  for (const field of ["fsGroup", "runAsUser", "runAsGroup"] as const) {
    if (!isSet(sc[field])) continue;
    const id = asNumber(sc[field]);
    errs.push(...isValidUserOrGroupID(id).map((m) => invalid(path.child(field), id, m)));
  }
  asArray(sc.supplementalGroups).forEach((g, i) => {
    const id = asNumber(g);
    errs.push(
      ...isValidUserOrGroupID(id).map((m) => invalid(path.child("supplementalGroups").index(i), id, m)),
    );
  });
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(
      invalid(
        path.child("shareProcessNamespace"),
        true,
        "ShareProcessNamespace and HostPID cannot both be enabled",
      ),
    );
  }
  const seenSysctls = new Set<string>();
  asRecords(sc.sysctls).forEach((s, i) => {
    const name = asString(s.name);
    const namePath = path.child("sysctls").index(i).child("name");
    if (name.length === 0) errs.push(required(namePath));
    else if (name.length > 253 || !sysctlRe.test(name)) {
      errs.push(
        invalid(namePath, name, `must have at most 253 characters and match regex ${sysctlRe.source}`),
      );
    } else if (seenSysctls.has(name)) errs.push(duplicate(namePath, name));
    seenSysctls.add(name);
  });
  if (isSet(sc.fsGroupChangePolicy) && !FS_GROUP_CHANGE_POLICIES.includes(asString(sc.fsGroupChangePolicy))) {
    errs.push(
      notSupported(
        path.child("fsGroupChangePolicy"),
        asString(sc.fsGroupChangePolicy),
        FS_GROUP_CHANGE_POLICIES,
      ),
    );
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, path.child("seccompProfile")));
  return errs;
}

function validateImagePullSecrets(secrets: unknown, path: FieldPath): FieldError[] {
  return asRecords(secrets).flatMap((s, i) =>
    Object.keys(s).some((k) => k !== "name") ? [invalid(path.index(i), s, "only name may be set")] : [],
  );
}

function validateDNSConfig(spec: JsonRecord, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const config = spec.dnsConfig;
  if (asString(spec.dnsPolicy) === "None") {
    if (!isRecord(config)) return [required(path, "must provide `dnsConfig` when `dnsPolicy` is None")];
    if (asArray(config.nameservers).length === 0) {
      return [
        required(
          path.child("nameservers"),
          "must provide at least one DNS nameserver when `dnsPolicy` is None",
        ),
      ];
    }
  }
  if (!isRecord(config)) return errs;
  const nameservers = asArray(config.nameservers).map(asString);
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    errs.push(
      invalid(
        path.child("nameservers"),
        nameservers,
        `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`,
      ),
    );
  }
  nameservers.forEach((ns, i) => {
    errs.push(...validateIP(ns, path.child("nameservers").index(i)));
  });
  const searches = asArray(config.searches).map(asString);
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(
      invalid(
        path.child("searches"),
        searches,
        `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`,
      ),
    );
  }
  if (searches.join(" ").length > MAX_DNS_SEARCH_CHARS) {
    errs.push(
      invalid(
        path.child("searches"),
        searches,
        `must not have more than ${MAX_DNS_SEARCH_CHARS} characters (including spaces) in the search list`,
      ),
    );
  }
  searches.forEach((s, i) => {
    const trimmed = s.endsWith(".") ? s.slice(0, -1) : s;
    errs.push(
      ...nameIsDNSSubdomain(trimmed, false).map((m) => invalid(path.child("searches").index(i), trimmed, m)),
    );
  });
  asRecords(config.options).forEach((o, i) => {
    if (asString(o.name).length === 0)
      errs.push(required(path.child("options").index(i), "must not be empty"));
  });
  return errs;
}

function validateSchedulingGates(gates: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asRecords(gates).forEach((g, i) => {
    const name = asString(g.name);
    errs.push(...isQualifiedName(name).map((m) => invalid(path.index(i), name, m)));
    if (seen.has(name)) errs.push(duplicate(path.index(i), name));
    seen.add(name);
  });
  return errs;
}

function validateHostUsers(spec: JsonRecord, path: FieldPath): FieldError[] {
  if (asRecord(spec.securityContext).hostUsers !== false) return [];
  const errs: FieldError[] = [];
  if (spec.hostNetwork === true)
    errs.push(forbidden(path.child("hostNetwork"), "when `pod.Spec.HostUsers` is false"));
  if (spec.hostPID === true)
    errs.push(forbidden(path.child("HostPID"), "when `pod.Spec.HostUsers` is false"));
  if (spec.hostIPC === true)
    errs.push(forbidden(path.child("HostIPC"), "when `pod.Spec.HostUsers` is false"));
  return errs;
}

function validateNameField(value: unknown, path: FieldPath, check = nameIsDNSSubdomain): FieldError[] {
  const name = asString(value);
  return name.length > 0 ? check(name, false).map((m) => invalid(path, name, m)) : [];
}

function validateOS(os: unknown, path: FieldPath): FieldError[] {
  if (!isRecord(os)) return [];
  const name = asString(os.name);
  if (name.length === 0) return [required(path.child("name"))];
  return OS_NAMES.includes(name) ? [] : [notSupported(path.child("name"), name, OS_NAMES)];
}

function containerContext(spec: JsonRecord, volumes: Map<string, JsonRecord>): ContainerContext {
  return {
    volumes,
    gracePeriod: isSet(spec.terminationGracePeriodSeconds)
      ? asNumber(spec.terminationGracePeriodSeconds)
      : undefined,
    hostUsers: asRecord(spec.securityContext).hostUsers !== false,
  };
}

/** What container checks need of a pod whose spec was validated before (its volumes taken as they are). */
export function podContainerContext(specValue: unknown): ContainerContext {
  const spec = asRecord(specValue);
  return containerContext(spec, validateVolumes(spec.volumes, FieldPath.root("spec", "volumes")).volumes);
}

export function validatePodSpec(specValue: unknown, path: FieldPath, opts: PodSpecOptions): FieldError[] {
  const spec = asRecord(specValue);
  const errs: FieldError[] = [];
  if (!isSet(spec.terminationGracePeriodSeconds))
    errs.push(required(path.child("terminationGracePeriodSeconds")));
  const { volumes, errors } = validateVolumes(spec.volumes, path.child("volumes"));
  errs.push(...errors);
  const ctx = containerContext(spec, volumes);
  errs.push(...validateContainers(spec.containers, ctx, path.child("containers")));
  errs.push(
    ...validateInitContainers(spec.initContainers, spec.containers, ctx, path.child("initContainers")),
  );
  errs.push(...validateHostNetworkPorts(spec, opts, path));
  errs.push(...validateRestartPolicy(asString(spec.restartPolicy), path.child("restartPolicy")));
  errs.push(...validateDNSPolicy(asString(spec.dnsPolicy), path.child("dnsPolicy")));
  errs.push(...validateLabels(spec.nodeSelector, path.child("nodeSelector")));
  errs.push(...validatePodSecurityContext(spec, path.child("securityContext")));
  errs.push(...validateImagePullSecrets(spec.imagePullSecrets, path.child("imagePullSecrets")));
  errs.push(...validateAffinity(spec.affinity, path.child("affinity")));
  errs.push(...validateDNSConfig(spec, path.child("dnsConfig")));
  asRecords(spec.readinessGates).forEach((g, i) => {
    errs.push(
      ...validateLabelName(
        asString(g.conditionType),
        path.child("readinessGates").index(i).child("conditionType"),
      ),
    );
  });
  errs.push(...validateSchedulingGates(spec.schedulingGates, path.child("schedulingGates")));
  errs.push(
    ...validateTopologySpreadConstraints(
      spec.topologySpreadConstraints,
      path.child("topologySpreadConstraints"),
    ),
  );
  errs.push(...validateHostUsers(spec, path));
  errs.push(...validateNameField(spec.serviceAccountName, path.child("serviceAccountName")));
  errs.push(...validateNameField(spec.nodeName, path.child("nodeName")));
  if (isSet(spec.activeDeadlineSeconds)) {
    const value = asNumber(spec.activeDeadlineSeconds);
    if (value < 1 || value > MAX_INT32) {
      errs.push(invalid(path.child("activeDeadlineSeconds"), value, inclusiveRangeError(1, MAX_INT32)));
    }
  }
  errs.push(...validateNameField(spec.hostname, path.child("hostname"), (n) => isDNS1123Label(n)));
  errs.push(...validateNameField(spec.subdomain, path.child("subdomain"), (n) => isDNS1123Label(n)));
  errs.push(...validateTolerations(spec.tolerations, path.child("tolerations")));
  asRecords(spec.hostAliases).forEach((alias, i) => {
    const aliasPath = path.child("hostAliases").index(i);
    errs.push(...validateIP(asString(alias.ip), aliasPath.child("ip")));
    asArray(alias.hostnames).forEach((h, j) => {
      errs.push(...validateNameField(h, aliasPath.child("hostnames").index(j)));
    });
  });
  errs.push(...validateNameField(spec.priorityClassName, path.child("priorityClassName")));
  if (isSet(spec.runtimeClassName)) {
    const name = asString(spec.runtimeClassName);
    errs.push(
      ...nameIsDNSSubdomain(name, false).map((m) => invalid(path.child("runtimeClassName"), name, m)),
    );
  }
  if (isSet(spec.preemptionPolicy)) {
    const policy = asString(spec.preemptionPolicy);
    if (policy.length === 0) errs.push(required(path.child("preemptionPolicy")));
    else if (!PREEMPTION_POLICIES.includes(policy))
      errs.push(notSupported(path.child("preemptionPolicy"), policy, PREEMPTION_POLICIES));
  }
  errs.push(...validateOS(spec.os, path.child("os")));
  return errs;
}

/** Annotations with meaning for pods: mirror pods need a node, the deletion cost must be an int32. */
export function validatePodSpecificAnnotations(
  annotations: unknown,
  spec: unknown,
  path: FieldPath,
): FieldError[] {
  const ann = asRecord(annotations);
  const errs: FieldError[] = [];
  if (Object.hasOwn(ann, MIRROR_POD) && asString(asRecord(spec).nodeName).length === 0) {
    errs.push(
      invalid(
        path.key(MIRROR_POD),
        asString(ann[MIRROR_POD]),
        "must set spec.nodeName if mirror pod annotation is set",
      ),
    );
  }
  if (Object.hasOwn(ann, POD_DELETION_COST)) {
    const text = asString(ann[POD_DELETION_COST]);
    const n = Number(text);
    if (!/^[+-]?\d+$/.test(text) || n < -2147483648 || n > MAX_INT32) {
      errs.push(invalid(path.key(POD_DELETION_COST), text, "must be a 32bit integer"));
    }
  }
  return errs;
}

export function validatePodTemplateSpec(templateValue: unknown, path: FieldPath): FieldError[] {
  const template = asRecord(templateValue);
  const meta = asRecord(template.metadata);
  const errs = validateLabels(meta.labels, path.child("labels"));
  errs.push(...validateAnnotations(meta.annotations, path.child("annotations")));
  errs.push(...validatePodSpecificAnnotations(meta.annotations, template.spec, path.child("annotations")));
  errs.push(...validatePodSpec(template.spec, path.child("spec"), { resourceIsPod: false }));
  if (asArray(asRecord(template.spec).ephemeralContainers).length > 0) {
    errs.push(
      forbidden(
        path.child("spec", "ephemeralContainers"),
        "ephemeral containers not allowed in pod template",
      ),
    );
  }
  return errs;
}
