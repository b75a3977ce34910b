// core/v1 Service validation (ValidateService and ValidateServiceUpdate of pkg/apis/core/validation): a
// DNS-1035 name, ports (named when several, unique by port and protocol, no node port on a ClusterIP service),
// the selector's labels, type, session affinity, traffic policies, the cluster IPs' shape, and on update the
// cluster IPs that may not change once allocated.
import { externallyAccessible } from "../defaults/service.js";
import { duplicate, type FieldError, forbidden, invalid, notSupported, required } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { GoValue, goQuote, goStringSlice } from "./go-format.js";
import { asArray, asNumber, asRecord, asRecords, asString, isSet, type JsonRecord } from "./json-access.js";
import { validateLabels } from "./labels.js";
import { validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidIP,
  isValidPortNum,
  nameIsDNS1035Label,
} from "./names.js";
import { PORT_PROTOCOLS, validatePortNumOrName } from "./pod-containers.js";

export const SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const AFFINITIES = ["ClientIP", "None"];
const TRAFFIC_POLICIES = ["Cluster", "Local"];
const IP_FAMILIES = ["IPv4", "IPv6"];
const IP_FAMILY_POLICIES = ["PreferDualStack", "RequireDualStack", "SingleStack"];
/** The kubelet's port, which no load balancer may expose (upstream's workaround for over-open firewalls). */
const KUBELET_PORT = 10250;
const MAX_AFFINITY_SECONDS = 86_400;

const spec = (svc: JsonRecord): JsonRecord => asRecord(svc.spec);
const SPEC = FieldPath.root("spec");

export const isHeadless = (svc: JsonRecord): boolean => spec(svc).clusterIP === "None";

/** A ServicePort as Go's %#v prints the (protocol, port) key of a duplicate. */
function portKey(protocol: string, port: number): GoValue {
  return new GoValue(
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
      'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  );
}

function validatePorts(svc: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  const ports = asRecords(spec(svc).ports);
  const portsPath = SPEC.child("ports");
  const names = new Set<string>();
  const seen = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    const path = portsPath.index(i);
    const name = asString(port.name);
    if (ports.length > 1 && name === "") errs.push(required(path.child("name")));
    else if (name !== "") {
      errs.push(...isDNS1123Label(name).map((m) => invalid(path.child("name"), name, m)));
      if (names.has(name)) errs.push(duplicate(path.child("name"), name));
      names.add(name);
    }
    const number = asNumber(port.port);
    errs.push(...isValidPortNum(number).map((m) => invalid(path.child("port"), number, m)));
    const protocol = asString(port.protocol);
    if (protocol === "") errs.push(required(path.child("protocol")));
    else if (!PORT_PROTOCOLS.includes(protocol))
      errs.push(notSupported(path.child("protocol"), protocol, PORT_PROTOCOLS));
    errs.push(...validatePortNumOrName(port.targetPort, path.child("targetPort")));
    const nodePort = asNumber(port.nodePort);
    if (nodePort !== 0) {
      if (spec(svc).type === "ClusterIP")
        errs.push(forbidden(path.child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
      if (nodePorts.has(`${protocol}/${nodePort}`)) errs.push(duplicate(path.child("nodePort"), nodePort));
      nodePorts.add(`${protocol}/${nodePort}`);
    }
    if (seen.has(`${protocol}/${number}`)) errs.push(duplicate(path, portKey(protocol, number)));
    seen.add(`${protocol}/${number}`);
    if (spec(svc).type === "LoadBalancer" && number === KUBELET_PORT) {
      errs.push(
        invalid(path, number, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`),
      );
    }
  });
  return errs;
}

/** What a Service's type demands of its ports, cluster IPs and external name. */
function validateType(svc: JsonRecord): FieldError[] {
  const s = spec(svc);
  const type = asString(s.type);
  const errs: FieldError[] = [];
  if (type === "") return [required(SPEC.child("type"))];
  if (!SERVICE_TYPES.includes(type)) return [notSupported(SPEC.child("type"), type, SERVICE_TYPES)];
  if (asArray(s.ports).length === 0 && !isHeadless(svc) && type !== "ExternalName")
    errs.push(required(SPEC.child("ports")));
  if ((type === "NodePort" || type === "LoadBalancer") && isHeadless(svc)) {
    errs.push(
      invalid(SPEC.child("clusterIPs").index(0), "None", `may not be set to 'None' for ${type} services`),
    );
  }
  if (type === "ExternalName") {
    for (const field of ["clusterIPs", "ipFamilies"])
      if (asArray(s[field]).length > 0)
        errs.push(forbidden(SPEC.child(field), "may not be set for ExternalName services"));
    if (isSet(s.ipFamilyPolicy))
      errs.push(forbidden(SPEC.child("ipFamilyPolicy"), "may not be set for ExternalName services"));
    const cname = asString(s.externalName).replace(/\.$/, "");
    if (cname === "") errs.push(required(SPEC.child("externalName")));
    else errs.push(...isDNS1123Subdomain(cname).map((m) => invalid(SPEC.child("externalName"), cname, m)));
  }
  return errs;
}

function validateAffinity(s: JsonRecord): FieldError[] {
  const affinity = asString(s.sessionAffinity);
  const path = SPEC.child("sessionAffinityConfig");
  if (affinity === "") return [required(SPEC.child("sessionAffinity"))];
  if (!AFFINITIES.includes(affinity))
    return [notSupported(SPEC.child("sessionAffinity"), affinity, AFFINITIES)];
  if (affinity === "None") {
    return isSet(s.sessionAffinityConfig)
      ? [forbidden(path, "must not be set when session affinity is None")]
      : [];
  }
  const timeout = asRecord(asRecord(s.sessionAffinityConfig).clientIP).timeoutSeconds;
  const timeoutPath = path.child("clientIP", "timeoutSeconds");
  if (!isSet(timeout)) return [required(timeoutPath)];
  const t = asNumber(timeout);
  return t > 0 && t <= MAX_AFFINITY_SECONDS
    ? []
    : [invalid(timeoutPath, t, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`)];
}

function validateTrafficPolicies(s: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  const external = asString(s.externalTrafficPolicy);
  const externalPath = SPEC.child("externalTrafficPolicy");
  if (!externallyAccessible(s)) {
    if (external !== "")
      errs.push(invalid(externalPath, external, "may only be set for externally-accessible services"));
  } else if (external === "") errs.push(required(externalPath));
  else if (!TRAFFIC_POLICIES.includes(external))
    errs.push(notSupported(externalPath, external, TRAFFIC_POLICIES));
  const internal = s.internalTrafficPolicy;
  const internalPath = SPEC.child("internalTrafficPolicy");
  if (s.type !== "ExternalName") {
    if (!isSet(internal)) errs.push(required(internalPath));
    else if (!TRAFFIC_POLICIES.includes(asString(internal)))
      errs.push(notSupported(internalPath, asString(internal), TRAFFIC_POLICIES));
  }
  return errs;
}

/** clusterIP and clusterIPs agree, each is an IP (or "None", first only), families and policy are known. */
function validateClusterIPs(s: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  const clusterIPs = asArray(s.clusterIPs).map(asString);
  const clusterIP = asString(s.clusterIP);
  const ipsPath = SPEC.child("clusterIPs");
  if (clusterIPs.length > 0 && clusterIP !== clusterIPs[0]) {
    errs.push(invalid(ipsPath, goStringSlice(clusterIPs), "first value must match `clusterIP`"));
  }
  clusterIPs.forEach((ip, i) => {
    if (ip === "None" && i === 0) return;
    if (!isValidIP(ip))
      errs.push(
        invalid(ipsPath.index(i), ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),
      );
  });
  if (clusterIPs.length > 2)
    errs.push(invalid(ipsPath, goStringSlice(clusterIPs), "may only hold up to 2 values"));
  asArray(s.ipFamilies).forEach((family, i) => {
    const f = asString(family);
    if (!IP_FAMILIES.includes(f)) errs.push(notSupported(SPEC.child("ipFamilies").index(i), f, IP_FAMILIES));
  });
  const policy = s.ipFamilyPolicy;
  if (isSet(policy) && !IP_FAMILY_POLICIES.includes(asString(policy)))
    errs.push(notSupported(SPEC.child("ipFamilyPolicy"), asString(policy), IP_FAMILY_POLICIES));
  return errs;
}

export function validateService(obj: unknown): FieldError[] {
  const svc = asRecord(obj);
  const s = spec(svc);
  const errs = validateObjectMeta(svc.metadata, { namespaced: true, nameFn: nameIsDNS1035Label });
  errs.push(...validateType(svc));
  errs.push(...validatePorts(svc));
  if (isSet(s.selector)) errs.push(...validateLabels(s.selector, SPEC.child("selector")));
  errs.push(...validateAffinity(s));
  errs.push(...validateClusterIPs(s));
  asArray(s.externalIPs).forEach((ip, i) => {
    const text = asString(ip);
    if (!isValidIP(text)) {
      errs.push(
        invalid(
          SPEC.child("externalIPs").index(i),
          text,
          "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        ),
      );
    }
  });
  errs.push(...validateTrafficPolicies(s));
  return errs;
}

/**
 * ValidateServiceUpdate: the service rules again, metadata rules, and allocated cluster IPs stay (a client that
 * leaves them out keeps them: the strategy copies them over before validation).
 */
export function validateServiceUpdate(obj: unknown, old: unknown): FieldError[] {
  const svc = asRecord(obj);
  const oldSvc = asRecord(old);
  const errs = validateService(obj);
  errs.push(...validateObjectMetaUpdate(svc.metadata, oldSvc.metadata));
  const before = asArray(spec(oldSvc).clusterIPs).map(asString);
  const after = asArray(spec(svc).clusterIPs).map(asString);
  // Changing to ExternalName releases the IPs; any other change of an allocated IP is refused.
  if (spec(svc).type !== "ExternalName" && before.length > 0 && before[0] !== after[0]) {
    errs.push(invalid(SPEC.child("clusterIPs").index(0), after[0] ?? "", "may not change once set"));
  }
  return errs;
}
