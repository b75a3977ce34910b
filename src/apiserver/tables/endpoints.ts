// Rows of `kubectl get endpoints` (the first three ip:port pairs, then "+ N more...") and `kubectl get
// endpointslices` (address type, ports, the first three addresses), upstream's printEndpoints and
// printEndpointSlice.
import type { Endpoints } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { ageColumn, column, nameColumn } from "./columns.js";
import { since } from "./format.js";
import type { TablePrinter } from "./types.js";

const SHOWN = 3;

/** The first three entries, then how many more; `empty` when there are none. */
function firstFew(items: readonly string[], empty: string): string {
  if (items.length === 0) return empty;
  const shown = items.slice(0, SHOWN).join(",");
  return items.length > SHOWN ? `${shown} + ${items.length - SHOWN} more...` : shown;
}

/** Every ready address with each of its subset's ports (just the address for a headless service without ports). */
function endpointAddresses(ep: Endpoints): string[] {
  return (ep.subsets ?? []).flatMap((subset) => {
    const ips = (subset.addresses ?? []).map((a) => a.ip);
    if ((subset.ports ?? []).length === 0) return ips;
    return (subset.ports ?? []).flatMap((p) =>
      ips.map((ip) => (ip.includes(":") ? `[${ip}]:${p.port}` : `${ip}:${p.port}`)),
    );
  });
}

export const endpointsPrinter: TablePrinter<Endpoints> = {
  columns: [nameColumn, column("Endpoints", "string", "The service's ready backends (ip:port)."), ageColumn],
  cells(ep, now) {
    return [
      ep.metadata?.name ?? "",
      firstFew(endpointAddresses(ep), "<none>"),
      since(ep.metadata?.creationTimestamp, now),
    ];
  },
};

export const endpointSlicePrinter: TablePrinter<EndpointSlice> = {
  columns: [
    nameColumn,
    column("AddressType", "string", "What the endpoints' addresses are: IPv4, IPv6 or FQDN."),
    column("Ports", "string", "The ports every endpoint of the slice listens on."),
    column("Endpoints", "string", "The slice's backends."),
    ageColumn,
  ],
  cells(slice, now) {
    const ports = (slice.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? "*")));
    const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [
      slice.metadata?.name ?? "",
      slice.addressType ?? "",
      firstFew(ports, "<unset>"),
      firstFew(addresses, "<unset>"),
      since(slice.metadata?.creationTimestamp, now),
    ];
  },
};
