// Service rows for `kubectl get svc`: type, cluster IP, external IP (`<pending>` for a load balancer no cloud
// provisions, the alias of an ExternalName), the ports with their node ports, the age, and the wide selector —
// upstream's printService.
import type { Service } from "kubernetes-types/core/v1.js";
import { ageColumn, column, nameColumn } from "./columns.js";
import { formatLabels, since } from "./format.js";
import type { TablePrinter } from "./types.js";

/** The load balancer's addresses; the server prints wide, so upstream's abridging of long lists never applies. */
function loadBalancerAddresses(svc: Service): string[] {
  return (svc.status?.loadBalancer?.ingress ?? [])
    .map((i) => i.ip || i.hostname)
    .filter((a): a is string => Boolean(a));
}

function externalIP(svc: Service): string {
  const external = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case "ClusterIP":
    case "NodePort":
      return external.length > 0 ? external.join(",") : "<none>";
    case "LoadBalancer": {
      const all = [...loadBalancerAddresses(svc), ...external];
      return all.length > 0 ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return svc.spec.externalName ?? "";
  }
  return "<unknown>";
}

function ports(svc: Service): string {
  const text = (svc.spec?.ports ?? [])
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
    .join(",");
  return text || "<none>";
}

export const servicePrinter: TablePrinter<Service> = {
  columns: [
    nameColumn,
    column(
      "Type",
      "string",
      "How the service is reached: ClusterIP, NodePort, LoadBalancer or ExternalName.",
    ),
    column("Cluster-IP", "string", "The service's virtual IP (None for a headless service)."),
    column("External-IP", "string", "Addresses outside the cluster the service answers on."),
    column("Port(s)", "string", "The ports the service exposes (port:nodePort/protocol)."),
    ageColumn,
    column("Selector", "string", "Labels of the pods the service sends traffic to.", { wide: true }),
  ],
  cells(svc, now) {
    return [
      svc.metadata?.name ?? "",
      svc.spec?.type ?? "",
      svc.spec?.clusterIPs?.[0] ?? "<none>",
      externalIP(svc),
      ports(svc),
      since(svc.metadata?.creationTimestamp, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};
