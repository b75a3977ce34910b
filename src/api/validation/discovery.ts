// Validation of the kinds that list a service's backends: core/v1 Endpoints (ValidateEndpoints) and
// discovery.k8s.io/v1 EndpointSlice (ValidateEndpointSlice): names, addresses of the declared type, ports with
// valid numbers, names and protocols, and upstream's size limits.
import { type FieldError, invalid, notSupported, required, tooMany } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import { asArray, asNumber, asRecord, asRecords, asString, isSet } from "./json-access.js";
import { validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidIP,
  isValidPortNum,
  nameIsDNSSubdomain,
} from "./names.js";
import { PORT_PROTOCOLS } from "./pod-containers.js";

const ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"];
const MAX_SLICE_ENDPOINTS = 1000;
const MAX_ENDPOINT_ADDRESSES = 100;
const MAX_SLICE_PORTS = 20_000;
const IP_MESSAGE = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

function validatePort(port: Record<string, unknown>, path: FieldPath, portRequired: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(port.name);
  if (name !== "") errs.push(...isDNS1123Label(name).map((m) => invalid(path.child("name"), name, m)));
  if (portRequired || isSet(port.port)) {
    const n = asNumber(port.port);
    errs.push(...isValidPortNum(n).map((m) => invalid(path.child("port"), n, m)));
  }
  const protocol = asString(port.protocol);
  if (protocol === "") {
    if (portRequired) errs.push(required(path.child("protocol")));
  } else if (!PORT_PROTOCOLS.includes(protocol)) {
    errs.push(notSupported(path.child("protocol"), protocol, PORT_PROTOCOLS));
  }
  return errs;
}

function validateAddress(address: Record<string, unknown>, path: FieldPath): FieldError[] {
  const ip = asString(address.ip);
  return isValidIP(ip) ? [] : [invalid(path.child("ip"), ip, IP_MESSAGE)];
}

export function validateEndpoints(obj: unknown): FieldError[] {
  const ep = asRecord(obj);
  const errs = validateObjectMeta(ep.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  asRecords(ep.subsets).forEach((subset, i) => {
    const path = FieldPath.root("subsets").index(i);
    if (asArray(subset.addresses).length === 0 && asArray(subset.notReadyAddresses).length === 0) {
      errs.push(required(path, "must specify `addresses` or `notReadyAddresses`"));
    }
    for (const field of ["addresses", "notReadyAddresses"]) {
      asRecords(subset[field]).forEach((a, j) => {
        errs.push(...validateAddress(a, path.child(field).index(j)));
      });
    }
    asRecords(subset.ports).forEach((p, j) => {
      errs.push(...validatePort(p, path.child("ports").index(j), true));
    });
  });
  return errs;
}

export function validateEndpointsUpdate(obj: unknown, old: unknown): FieldError[] {
  return [
    ...validateEndpoints(obj),
    ...validateObjectMetaUpdate(asRecord(obj).metadata, asRecord(old).metadata),
  ];
}

export function validateEndpointSlice(obj: unknown): FieldError[] {
  const slice = asRecord(obj);
  const errs = validateObjectMeta(slice.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const type = asString(slice.addressType);
  if (type === "") errs.push(required(FieldPath.root("addressType")));
  else if (!ADDRESS_TYPES.includes(type))
    errs.push(notSupported(FieldPath.root("addressType"), type, ADDRESS_TYPES));
  const endpoints = asRecords(slice.endpoints);
  const endpointsPath = FieldPath.root("endpoints");
  if (endpoints.length > MAX_SLICE_ENDPOINTS)
    errs.push(tooMany(endpointsPath, endpoints.length, MAX_SLICE_ENDPOINTS));
  endpoints.forEach((endpoint, i) => {
    const path = endpointsPath.index(i).child("addresses");
    const addresses = asArray(endpoint.addresses).map(asString);
    if (addresses.length === 0) errs.push(required(path, "must contain at least 1 address"));
    if (addresses.length > MAX_ENDPOINT_ADDRESSES)
      errs.push(tooMany(path, addresses.length, MAX_ENDPOINT_ADDRESSES));
    addresses.forEach((address, j) => {
      const at = path.index(j);
      if (type === "FQDN") errs.push(...isDNS1123Subdomain(address).map((m) => invalid(at, address, m)));
      else if (!isValidIP(address) || (type === "IPv4") !== !address.includes(":"))
        errs.push(invalid(at, address, `must be a valid ${type} address`));
    });
  });
  const ports = asRecords(slice.ports);
  if (ports.length > MAX_SLICE_PORTS)
    errs.push(tooMany(FieldPath.root("ports"), ports.length, MAX_SLICE_PORTS));
  ports.forEach((p, i) => {
    errs.push(...validatePort(p, FieldPath.root("ports").index(i), false));
  });
  return errs;
}

export function validateEndpointSliceUpdate(obj: unknown, old: unknown): FieldError[] {
  const errs = [
    ...validateEndpointSlice(obj),
    ...validateObjectMetaUpdate(asRecord(obj).metadata, asRecord(old).metadata),
  ];
  const before = asString(asRecord(old).addressType);
  const after = asString(asRecord(obj).addressType);
  if (before !== after) errs.push(invalid(FieldPath.root("addressType"), after, "field is immutable"));
  return errs;
}
