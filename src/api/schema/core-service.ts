// Schema of core/v1 Service: a stable virtual IP and DNS name in front of the pods a selector picks, with the
// ports it forwards and how traffic reaches it (ClusterIP, NodePort, LoadBalancer, ExternalName).

import { bool, definition, int32, list, mapOf, ref, str } from "./builders.js";
import { Condition, IntOrString, objectMetaField, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

export const ServicePort: Schema = definition(
  "io.k8s.api.core.v1.ServicePort",
  "One port the service exposes and where it forwards to.",
  {
    name: str(
      "The port's name: a DNS label, unique within the service. Required when the service has more than one port.",
    ),
    protocol: str("TCP (the default), UDP or SCTP.", { enum: ["SCTP", "TCP", "UDP"] }),
    appProtocol: str(
      "The application protocol (e.g. http, kubernetes.io/h2c), for implementations that use it.",
    ),
    port: int32("The port the service listens on."),
    targetPort: ref(
      IntOrString,
      "The pods' port the traffic goes to: a number, or the name of a container port. Defaults to the value of port.",
    ),
    nodePort: int32(
      "For NodePort and LoadBalancer services, the port every node opens for this service; allocated from 30000-32767 unless given.",
    ),
  },
  { required: ["port"] },
);

export const SessionAffinityConfig: Schema = definition(
  "io.k8s.api.core.v1.SessionAffinityConfig",
  "Settings of the service's session affinity.",
  {
    clientIP: definition("io.k8s.api.core.v1.ClientIPConfig", "Settings of ClientIP affinity.", {
      timeoutSeconds: int32("How long a client sticks to its pod, in seconds (default 10800, 3 hours)."),
    }),
  },
);

export const ServiceSpec: Schema = definition(
  "io.k8s.api.core.v1.ServiceSpec",
  "What the service exposes and how.",
  {
    ports: list(ServicePort, "The ports the service exposes.", {
      patchStrategy: "merge",
      patchMergeKey: "port",
      listType: "map",
      listMapKeys: ["port", "protocol"],
    }),
    selector: mapOf(
      str(),
      "Labels of the pods the service sends traffic to. Without one, endpoints are managed by hand.",
      {
        mapType: "atomic",
      },
    ),
    clusterIP: str(
      'The service\'s virtual IP, allocated from the service CIDR unless given; "None" makes a headless service. Cannot change once set.',
    ),
    clusterIPs: list(str(), "The service's virtual IPs, one per IP family; the first is clusterIP.", {
      listType: "atomic",
    }),
    type: str(
      "How the service is reached: ClusterIP (the default), NodePort, LoadBalancer or ExternalName.",
      {
        enum: ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
      },
    ),
    externalIPs: list(str(), "Further IPs nodes accept traffic for this service on.", { listType: "atomic" }),
    sessionAffinity: str("ClientIP keeps a client on one pod; None (the default) does not.", {
      enum: ["ClientIP", "None"],
    }),
    loadBalancerIP: str("Deprecated: the IP a load balancer should use, where the provider supports it."),
    loadBalancerSourceRanges: list(str(), "Client CIDRs a load balancer admits.", { listType: "atomic" }),
    externalName: str("For ExternalName services: the DNS name the service's name is an alias (CNAME) of."),
    externalTrafficPolicy: str(
      "For NodePort and LoadBalancer services: Cluster spreads external traffic over all endpoints; Local keeps it on the receiving node.",
      { enum: ["Cluster", "Local"] },
    ),
    healthCheckNodePort: int32(
      "For LoadBalancer services with externalTrafficPolicy Local: the health check's node port.",
    ),
    publishNotReadyAddresses: bool("Whether endpoints include pods that are not ready."),
    sessionAffinityConfig: ref(SessionAffinityConfig, "Settings of the session affinity."),
    ipFamilies: list(str(), "The IP families of the service's cluster IPs: IPv4, IPv6.", {
      listType: "atomic",
    }),
    ipFamilyPolicy: str("SingleStack (the default), PreferDualStack or RequireDualStack.", {
      enum: ["PreferDualStack", "RequireDualStack", "SingleStack"],
    }),
    allocateLoadBalancerNodePorts: bool(
      "For LoadBalancer services: whether node ports are allocated (default true).",
    ),
    loadBalancerClass: str("The load balancer implementation that should serve this service."),
    internalTrafficPolicy: str(
      "Cluster (the default) spreads in-cluster traffic over all endpoints; Local keeps it on the sending node.",
      { enum: ["Cluster", "Local"] },
    ),
    trafficDistribution: str("A preference for how traffic is spread over endpoints (PreferClose)."),
  },
);

export const LoadBalancerIngress: Schema = definition(
  "io.k8s.api.core.v1.LoadBalancerIngress",
  "One address a load balancer answers on.",
  {
    ip: str("The ingress point's IP."),
    hostname: str("The ingress point's DNS name."),
    ipMode: str("VIP or Proxy: how the load balancer hands traffic on."),
    ports: list(
      definition("io.k8s.api.core.v1.PortStatus", "The state of one service port.", {
        port: int32("The port number."),
        protocol: str("TCP, UDP or SCTP."),
        error: str("Why the port is not working, if it is not."),
      }),
      "The ports' states.",
      { listType: "atomic" },
    ),
  },
);

export const ServiceStatus: Schema = definition(
  "io.k8s.api.core.v1.ServiceStatus",
  "The observed state of a service.",
  {
    loadBalancer: definition(
      "io.k8s.api.core.v1.LoadBalancerStatus",
      "The load balancer's state, if there is one.",
      {
        ingress: list(LoadBalancerIngress, "The addresses the load balancer answers on.", {
          listType: "atomic",
        }),
      },
    ),
    conditions: list(Condition, "The service's current conditions.", {
      patchStrategy: "merge",
      patchMergeKey: "type",
      listType: "map",
      listMapKeys: ["type"],
    }),
  },
);

export const Service: Schema = definition(
  "io.k8s.api.core.v1.Service",
  "A named, stable address for the pods a selector picks, with the ports it forwards.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    spec: ref(ServiceSpec, "What the service exposes and how."),
    status: ref(ServiceStatus, "The service's observed state."),
  },
  { gvk: { group: "", version: "v1", kind: "Service" } },
);
