// Containers of a pod spec (core validateContainers / validateInitContainers and what they share): names,
// image, ports, env, mounts, probes, lifecycle hooks, pull policy, resources and security context.
import {
  duplicate,
  type FieldError,
  forbidden,
  invalid,
  notFound,
  notSupported,
  required,
} from "./field-errors.js";
import type { FieldPath } from "./field-path.js";
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
import { validateNonnegativeField } from "./meta.js";
import {
  isDNS1123Label,
  isHTTPHeaderName,
  isValidPortName,
  isValidPortNum,
  isValidUserOrGroupID,
} from "./names.js";
import { validateEnv, validateEnvFrom } from "./pod-field-refs.js";
import { validateResourceRequirements } from "./pod-resources.js";
import { validateLocalDescendingPath } from "./pod-volumes.js";

export const PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"];
const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const TERMINATION_MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"];
const MOUNT_PROPAGATIONS = ["Bidirectional", "HostToContainer", "None"];
const HTTP_SCHEMES = ["HTTP", "HTTPS"];
const SECCOMP_TYPES = ["Localhost", "RuntimeDefault", "Unconfined"];
const PROC_MOUNT_TYPES = ["Default", "Unmasked"];

/** What every container check needs to know about the pod around it. */
export interface ContainerContext {
  /** Volumes that passed validation, by name. */
  volumes: Map<string, JsonRecord>;
  /** spec.terminationGracePeriodSeconds, bounding sleep hooks. */
  gracePeriod: number | undefined;
  /** False when the pod runs in its own user namespace (hostUsers: false). */
  hostUsers: boolean;
}

function validateContainerPorts(ports: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asRecords(ports).forEach((port, i) => {
    const idxPath = path.index(i);
    const name = asString(port.name);
    if (name.length > 0) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) errs.push(...msgs.map((m) => invalid(idxPath.child("name"), name, m)));
      else if (names.has(name)) errs.push(duplicate(idxPath.child("name"), name));
      else names.add(name);
    }
    const containerPort = asNumber(port.containerPort);
    if (containerPort === 0) errs.push(required(idxPath.child("containerPort")));
    else
      errs.push(
        ...isValidPortNum(containerPort).map((m) =>
          invalid(idxPath.child("containerPort"), containerPort, m),
        ),
      );
    const hostPort = asNumber(port.hostPort);
    if (hostPort !== 0)
      errs.push(...isValidPortNum(hostPort).map((m) => invalid(idxPath.child("hostPort"), hostPort, m)));
    const protocol = asString(port.protocol);
    if (protocol.length === 0) errs.push(required(idxPath.child("protocol")));
    else if (!PORT_PROTOCOLS.includes(protocol))
      errs.push(notSupported(idxPath.child("protocol"), protocol, PORT_PROTOCOLS));
  });
  return errs;
}

/** Host ports must not collide across the given containers (same protocol, host IP and port). */
export function checkHostPortConflicts(containers: JsonRecord[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    asRecords(c.ports).forEach((port, pi) => {
      const hostPort = asNumber(port.hostPort);
      if (hostPort === 0) return;
      const key = `${asString(port.protocol)}/${asString(port.hostIP)}/${hostPort}`;
      if (seen.has(key)) errs.push(duplicate(path.index(ci).child("ports").index(pi).child("hostPort"), key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateVolumeMounts(container: JsonRecord, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const devices = new Map(
    asRecords(container.volumeDevices).map((d) => [asString(d.name), asString(d.devicePath)]),
  );
  const privileged = asRecord(container.securityContext).privileged === true;
  asRecords(container.volumeMounts).forEach((mount, i) => {
    const idxPath = path.index(i);
    const name = asString(mount.name);
    const mountPath = asString(mount.mountPath);
    if (name.length === 0) errs.push(required(idxPath.child("name")));
    if (!ctx.volumes.has(name)) errs.push(notFound(idxPath.child("name"), name));
    if (mountPath.length === 0) errs.push(required(idxPath.child("mountPath")));
    if (mountPoints.has(mountPath))
      errs.push(invalid(idxPath.child("mountPath"), mountPath, "must be unique"));
    mountPoints.add(mountPath);
    if (devices.has(name))
      errs.push(invalid(idxPath.child("name"), name, "must not already exist in volumeDevices"));
    if ([...devices.values()].includes(mountPath)) {
      errs.push(
        invalid(idxPath.child("mountPath"), mountPath, "must not already exist as a path in volumeDevices"),
      );
    }
    const subPath = asString(mount.subPath);
    const subPathExpr = asString(mount.subPathExpr);
    // Upstream reports sub-path problems against the list path, not the item: kept for fidelity.
    if (subPath.length > 0) errs.push(...validateLocalDescendingPath(subPath, path.child("subPath")));
    if (subPathExpr.length > 0) {
      if (subPath.length > 0) {
        errs.push(
          invalid(
            idxPath.child("subPathExpr"),
            subPathExpr,
            "subPathExpr and subPath are mutually exclusive",
          ),
        );
      }
      errs.push(...validateLocalDescendingPath(subPathExpr, path.child("subPathExpr")));
    }
    if (isSet(mount.mountPropagation)) {
      const propagation = asString(mount.mountPropagation);
      const propPath = path.child("mountPropagation");
      if (!MOUNT_PROPAGATIONS.includes(propagation))
        errs.push(notSupported(propPath, propagation, MOUNT_PROPAGATIONS));
      if (propagation === "Bidirectional" && !privileged) {
        errs.push(
          forbidden(propPath, "Bidirectional mount propagation is available only to privileged containers"),
        );
      }
    }
  });
  return errs;
}

/** A port given as a number (1-65535) or as the name of a container port (IANA_SVC_NAME). */
export function validatePortNumOrName(port: unknown, path: FieldPath): FieldError[] {
  if (typeof port === "number") return isValidPortNum(port).map((m) => invalid(path, port, m));
  const name = asString(port);
  return isValidPortName(name).map((m) => invalid(path, name, m));
}

function validateHTTPGet(action: JsonRecord, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (asString(action.path).length === 0) errs.push(required(path.child("path")));
  errs.push(...validatePortNumOrName(action.port, path.child("port")));
  const scheme = asString(action.scheme);
  if (!HTTP_SCHEMES.includes(scheme)) errs.push(notSupported(path.child("scheme"), scheme, HTTP_SCHEMES));
  for (const header of asRecords(action.httpHeaders)) {
    const name = asString(header.name);
    errs.push(...isHTTPHeaderName(name).map((m) => invalid(path.child("httpHeaders"), name, m)));
  }
  return errs;
}

function validateSleep(action: JsonRecord, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const seconds = asNumber(action.seconds);
  if (gracePeriod === undefined || (seconds > 0 && seconds <= gracePeriod)) return [];
  return [
    invalid(
      path,
      seconds,
      `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
    ),
  ];
}

type HandlerKind = "exec" | "httpGet" | "tcpSocket" | "grpc" | "sleep";

/** Exactly one handler: probes may use exec/httpGet/tcpSocket/grpc, lifecycle hooks exec/httpGet/tcpSocket/sleep. */
function validateHandler(
  handler: JsonRecord,
  kinds: readonly HandlerKind[],
  gracePeriod: number | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of kinds) {
    if (!isRecord(handler[kind])) continue;
    if (count > 0) {
      errs.push(forbidden(path.child(kind), "may not specify more than 1 handler type"));
      continue;
    }
    count++;
    const action = handler[kind];
    const actionPath = path.child(kind);
    if (kind === "exec" && asArray(action.command).length === 0)
      errs.push(required(actionPath.child("command")));
    if (kind === "httpGet") errs.push(...validateHTTPGet(action, actionPath));
    if (kind === "tcpSocket") errs.push(...validatePortNumOrName(action.port, actionPath.child("port")));
    if (kind === "grpc") errs.push(...validatePortNumOrName(asNumber(action.port), actionPath.child("port")));
    if (kind === "sleep") errs.push(...validateSleep(action, gracePeriod, actionPath));
  }
  if (count === 0) errs.push(required(path, "must specify a handler type"));
  return errs;
}

const PROBE_HANDLERS: HandlerKind[] = ["exec", "httpGet", "tcpSocket", "grpc"];
const LIFECYCLE_HANDLERS: HandlerKind[] = ["exec", "httpGet", "tcpSocket", "sleep"];

function validateProbe(probe: JsonRecord, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs = validateHandler(probe, PROBE_HANDLERS, gracePeriod, path);
  for (const field of [
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
  ]) {
    errs.push(...validateNonnegativeField(asNumber(probe[field]), path.child(field)));
  }
  if (isSet(probe.terminationGracePeriodSeconds) && asNumber(probe.terminationGracePeriodSeconds) <= 0) {
    errs.push(
      invalid(
        path.child("terminationGracePeriodSeconds"),
        asNumber(probe.terminationGracePeriodSeconds),
        "must be greater than 0",
      ),
    );
  }
  return errs;
}

function validateProbes(
  container: JsonRecord,
  gracePeriod: number | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const kind of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
    const probe = container[kind];
    if (!isRecord(probe)) continue;
    const probePath = path.child(kind);
    errs.push(...validateProbe(probe, gracePeriod, probePath));
    if (kind !== "readinessProbe" && asNumber(probe.successThreshold) !== 1) {
      errs.push(invalid(probePath.child("successThreshold"), asNumber(probe.successThreshold), "must be 1"));
    }
    if (kind === "readinessProbe" && isSet(probe.terminationGracePeriodSeconds)) {
      errs.push(
        invalid(
          probePath.child("terminationGracePeriodSeconds"),
          asNumber(probe.terminationGracePeriodSeconds),
          "must not be set for readinessProbes",
        ),
      );
    }
  }
  return errs;
}

function validateLifecycle(
  lifecycle: JsonRecord,
  gracePeriod: number | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ["postStart", "preStop"] as const) {
    if (isRecord(lifecycle[hook]))
      errs.push(...validateHandler(lifecycle[hook], LIFECYCLE_HANDLERS, gracePeriod, path.child(hook)));
  }
  return errs;
}

export function validateSeccompProfile(profile: unknown, path: FieldPath): FieldError[] {
  if (!isRecord(profile)) return [];
  const errs: FieldError[] = [];
  const type = asString(profile.type);
  if (type.length === 0)
    errs.push(required(path.child("type"), "type is required when seccompProfile is set"));
  else if (!SECCOMP_TYPES.includes(type)) errs.push(notSupported(path.child("type"), type, SECCOMP_TYPES));
  if (type === "Localhost") {
    if (!isSet(profile.localhostProfile)) {
      errs.push(required(path.child("localhostProfile"), "must be set when seccomp type is Localhost"));
    } else {
      errs.push(
        ...validateLocalDescendingPath(asString(profile.localhostProfile), path.child("localhostProfile")),
      );
    }
  } else if (isSet(profile.localhostProfile)) {
    errs.push(
      invalid(path.child("localhostProfile"), profile, "can only be set when seccomp type is Localhost"),
    );
  }
  return errs;
}

function validateSecurityContext(sc: unknown, hostUsers: boolean, path: FieldPath): FieldError[] {
  if (!isRecord(sc)) return [];
  const errs: FieldError[] = [];
  for (const field of ["runAsUser", "runAsGroup"] as const) {
    if (isSet(sc[field])) {
      const id = asNumber(sc[field]);
      errs.push(...isValidUserOrGroupID(id).map((m) => invalid(path.child(field), id, m)));
    }
  }
  if (isSet(sc.procMount)) {
    const procMount = asString(sc.procMount);
    if (!PROC_MOUNT_TYPES.includes(procMount))
      errs.push(notSupported(path.child("procMount"), procMount, PROC_MOUNT_TYPES));
    if (hostUsers && procMount === "Unmasked") {
      errs.push(invalid(path.child("procMount"), procMount, "`hostUsers` must be false to use `Unmasked`"));
    }
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, path.child("seccompProfile")));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) {
      errs.push(invalid(path, sc, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
    }
    for (const cap of asArray(asRecord(sc.capabilities).add).map(asString)) {
      if (cap === "CAP_SYS_ADMIN") {
        errs.push(
          invalid(
            path,
            sc,
            "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
          ),
        );
      }
    }
  }
  return errs;
}

/** Checks shared by regular, init and ephemeral containers. */
export function validateContainerCommon(c: JsonRecord, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(c.name);
  if (name.length === 0) errs.push(required(path.child("name")));
  else errs.push(...isDNS1123Label(name).map((m) => invalid(path.child("name"), name, m)));
  if (asString(c.image).length === 0) errs.push(required(path.child("image")));
  const tmp = asString(c.terminationMessagePolicy);
  if (tmp.length === 0) errs.push(required(path.child("terminationMessagePolicy")));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) {
    errs.push(notSupported(path.child("terminationMessagePolicy"), tmp, TERMINATION_MESSAGE_POLICIES));
  }
  errs.push(...validateContainerPorts(c.ports, path.child("ports")));
  errs.push(...validateEnv(c.env, path.child("env")));
  errs.push(...validateEnvFrom(c.envFrom, path.child("envFrom")));
  errs.push(...validateVolumeMounts(c, ctx, path.child("volumeMounts")));
  const pull = asString(c.imagePullPolicy);
  if (pull.length === 0) errs.push(required(path.child("imagePullPolicy")));
  else if (!PULL_POLICIES.includes(pull))
    errs.push(notSupported(path.child("imagePullPolicy"), pull, PULL_POLICIES));
  errs.push(...validateResourceRequirements(c.resources, path.child("resources")));
  errs.push(...validateSecurityContext(c.securityContext, ctx.hostUsers, path.child("securityContext")));
  return errs;
}

export function validateContainers(
  containers: unknown,
  ctx: ContainerContext,
  path: FieldPath,
): FieldError[] {
  const list = asRecords(containers);
  if (list.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const idxPath = path.index(i);
    errs.push(...validateContainerCommon(c, ctx, idxPath));
    const name = asString(c.name);
    if (names.has(name)) errs.push(duplicate(idxPath.child("name"), name));
    else names.add(name);
    if (isRecord(c.lifecycle))
      errs.push(...validateLifecycle(c.lifecycle, ctx.gracePeriod, idxPath.child("lifecycle")));
    errs.push(...validateProbes(c, ctx.gracePeriod, idxPath));
    if (isSet(c.restartPolicy))
      errs.push(forbidden(idxPath.child("restartPolicy"), "may not be set for non-init containers"));
  });
  errs.push(...checkHostPortConflicts(list, path));
  return errs;
}

const INIT_ONLY = "may not be set for init containers without restartPolicy=Always";

export function validateInitContainers(
  initContainers: unknown,
  containers: unknown,
  ctx: ContainerContext,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(asRecords(containers).map((c) => asString(c.name)));
  asRecords(initContainers).forEach((c, i) => {
    const idxPath = path.index(i);
    errs.push(...validateContainerCommon(c, ctx, idxPath));
    let restartable = false;
    if (isSet(c.restartPolicy)) {
      const policy = asString(c.restartPolicy);
      if (policy !== "Always") errs.push(notSupported(idxPath.child("restartPolicy"), policy, ["Always"]));
      restartable = policy === "Always";
    }
    const name = asString(c.name);
    if (names.has(name)) errs.push(duplicate(idxPath.child("name"), name));
    else if (name.length > 0) names.add(name);
    // Init containers run one by one, so only ports within one init container can collide.
    errs.push(...checkHostPortConflicts([c], path));
    if (restartable) {
      if (isRecord(c.lifecycle))
        errs.push(...validateLifecycle(c.lifecycle, ctx.gracePeriod, idxPath.child("lifecycle")));
      errs.push(...validateProbes(c, ctx.gracePeriod, idxPath));
    } else {
      for (const field of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"]) {
        if (isSet(c[field])) errs.push(forbidden(idxPath.child(field), INIT_ONLY));
      }
    }
    if (asArray(c.resizePolicy).length > 0) {
      errs.push(
        invalid(idxPath.child("resizePolicy"), c.resizePolicy, "must not be set for init containers"),
      );
    }
  });
  return errs;
}

/** Pod-only (not template) container rule: no whitespace around the image. */
export function validateImageWhitespace(containers: unknown, path: FieldPath): FieldError[] {
  return asRecords(containers).flatMap((c, i) => {
    const image = asString(c.image);
    return image.trim() !== image
      ? [invalid(path.index(i).child("image"), image, "must not have leading or trailing whitespace")]
      : [];
  });
}
