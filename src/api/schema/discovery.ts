// Schemas of the two kinds that list a service's backends: core/v1 Endpoints (one object per service, subsets of
// addresses and ports) and discovery.k8s.io/v1 EndpointSlice (up to 100 endpoints per slice, what kube-proxy and
// `kubectl describe svc` read today).

import { bool, definition, int32, list, mapOf, ref, str } from "./builders.js";
import { ObjectReference } from "./core-common.js";
import { objectMetaField, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

export const EndpointAddress: Schema = definition(
  "io.k8s.api.core.v1.EndpointAddress",
  "One backend address of a service.",
  {
    ip: str("The backend's IP."),
    hostname: str("The backend's hostname, for DNS."),
    nodeName: str("The node the backend runs on."),
    targetRef: ref(ObjectReference, "The object behind the address, usually a pod."),
  },
  { required: ["ip"] },
);

export const CoreEndpointPort: Schema = definition(
  "io.k8s.api.core.v1.EndpointPort",
  "One port the backends listen on.",
  {
    name: str("The service port's name; optional when the service has one port."),
    port: int32("The port number."),
    protocol: str("TCP (the default), UDP or SCTP.", { enum: ["SCTP", "TCP", "UDP"] }),
    appProtocol: str("The application protocol of the port."),
  },
  { required: ["port"] },
);

export const EndpointSubset: Schema = definition(
  "io.k8s.api.core.v1.EndpointSubset",
  "Addresses that share a set of ports.",
  {
    addresses: list(EndpointAddress, "Addresses ready to serve.", { listType: "atomic" }),
    notReadyAddresses: list(EndpointAddress, "Addresses not ready yet (or no longer).", {
      listType: "atomic",
    }),
    ports: list(CoreEndpointPort, "The ports every address listens on.", { listType: "atomic" }),
  },
);

export const Endpoints: Schema = definition(
  "io.k8s.api.core.v1.Endpoints",
  "The backends of a service, by the name of the service. Superseded by EndpointSlices.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    subsets: list(EndpointSubset, "Groups of addresses with the ports they share.", { listType: "atomic" }),
  },
  { gvk: { group: "", version: "v1", kind: "Endpoints" } },
);

export const EndpointConditions: Schema = definition(
  "io.k8s.api.discovery.v1.EndpointConditions",
  "The state of one endpoint.",
  {
    ready: bool("Whether the endpoint may receive new traffic (serving and not terminating)."),
    serving: bool("Whether the endpoint's readiness checks pass, terminating or not."),
    terminating: bool("Whether the endpoint is shutting down."),
  },
);

export const Endpoint: Schema = definition(
  "io.k8s.api.discovery.v1.Endpoint",
  "One backend of a service.",
  {
    addresses: list(str(), "The backend's addresses, of the slice's address type.", { listType: "set" }),
    conditions: ref(EndpointConditions, "The backend's state."),
    hostname: str("The backend's hostname, for DNS."),
    targetRef: ref(ObjectReference, "The object behind the endpoint, usually a pod."),
    deprecatedTopology: mapOf(str(), "Deprecated topology labels."),
    nodeName: str("The node the backend runs on."),
    zone: str("The zone the backend runs in."),
    hints: definition("io.k8s.api.discovery.v1.EndpointHints", "Routing hints for topology-aware routing.", {
      forZones: list(
        definition("io.k8s.api.discovery.v1.ForZone", "A zone the endpoint should serve.", {
          name: str("The zone's name."),
        }),
        "Zones this endpoint should serve.",
        { listType: "atomic" },
      ),
      forNodes: list(
        definition("io.k8s.api.discovery.v1.ForNode", "A node the endpoint should serve.", {
          name: str("The node's name."),
        }),
        "Nodes this endpoint should serve.",
        { listType: "atomic" },
      ),
    }),
  },
  { required: ["addresses"] },
);

export const DiscoveryEndpointPort: Schema = definition(
  "io.k8s.api.discovery.v1.EndpointPort",
  "One port the slice's endpoints listen on.",
  {
    name: str("The service port's name."),
    protocol: str("TCP (the default), UDP or SCTP."),
    port: int32("The port number; unset means all ports."),
    appProtocol: str("The application protocol of the port."),
  },
);

export const EndpointSlice: Schema = definition(
  "io.k8s.api.discovery.v1.EndpointSlice",
  "A slice of a service's backends (at most 100), all of one address type and with the same ports.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    addressType: str("IPv4, IPv6 or FQDN: what the endpoints' addresses are.", {
      enum: ["FQDN", "IPv4", "IPv6"],
    }),
    endpoints: list(Endpoint, "The backends in this slice.", { listType: "atomic" }),
    ports: list(DiscoveryEndpointPort, "The ports every endpoint of the slice listens on.", {
      listType: "atomic",
    }),
  },
  {
    required: ["addressType", "endpoints"],
    gvk: { group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice" },
  },
);
