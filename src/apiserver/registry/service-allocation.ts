// Cluster IPs and node ports for Services, as upstream's service REST storage allocates them once a create (or
// an update that changes the type) has passed validation: a cluster IP from the service CIDR unless the service
// is headless or an ExternalName, node ports from 30000-32767 for NodePort and LoadBalancer services, and the
// requested ones only if free and in range. What is in use comes from the watch cache (a write returns once the
// cache holds it) plus the allocations of creates still in flight.
import { externallyAccessible } from "../../api/defaults/service.js";
import type { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { type ResourceInfo, SERVICES } from "../../api/resources.js";
import { type FieldError, invalid, toApiError } from "../../api/validation/field-errors.js";
import { FieldPath } from "../../api/validation/field-path.js";
import { goStringSlice } from "../../api/validation/go-format.js";
import type { Cacher } from "../watchcache/cacher.js";
import type { CreateOutcome } from "./store.js";

/** kubeadm's default service CIDR. */
export const SERVICE_CIDR = "10.96.0.0/12";
/** The first address of the range: the `kubernetes` service's. */
export const KUBERNETES_SERVICE_IP = "10.96.0.1";
export const NODE_PORT_RANGE = { first: 30000, last: 32767 };

const RANGE_BASE = ipToNumber("10.96.0.0");
const RANGE_SIZE = 2 ** (32 - 12);

function ipToNumber(ip: string): number {
  return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

const isService = (r: ResourceInfo) => r.group === SERVICES.group && r.resource === SERVICES.resource;
const needsClusterIP = (svc: KubeObject) =>
  svc.spec?.type !== "ExternalName" && svc.spec?.clusterIP !== "None";
const needsNodePorts = (svc: KubeObject) =>
  svc.spec?.type === "NodePort" ||
  (svc.spec?.type === "LoadBalancer" && svc.spec?.allocateLoadBalancerNodePorts !== false);
const PORTS = FieldPath.root("spec", "ports");

/**
 * Upstream's patchAllocatedValues: an update that leaves out what was allocated (as `kubectl apply` of the original
 * manifest does) keeps the cluster IPs, IP families and node ports (matched by port and protocol).
 */
export function carryAllocatedValues(svc: KubeObject, old: KubeObject): void {
  const spec = svc.spec;
  const before = old.spec;
  if (!spec || !before) return;
  if (needsClusterIP(svc) && needsClusterIP(old)) {
    if (!spec.clusterIP) spec.clusterIP = before.clusterIP;
    if (!spec.clusterIPs?.length && before.clusterIPs) spec.clusterIPs = before.clusterIPs;
  }
  if (spec.type !== "ExternalName" && old.spec?.type !== "ExternalName") {
    if (!spec.ipFamilies?.length && before.ipFamilies) spec.ipFamilies = before.ipFamilies;
    if (!spec.ipFamilyPolicy && before.ipFamilyPolicy) spec.ipFamilyPolicy = before.ipFamilyPolicy;
  }
  if (!needsNodePorts(svc) || !needsNodePorts(old)) return;
  const allocated = new Map<string, number>();
  for (const p of before.ports ?? []) if (p.nodePort) allocated.set(`${p.protocol}/${p.port}`, p.nodePort);
  for (const p of spec.ports ?? []) {
    if (!p.nodePort && allocated.has(`${p.protocol}/${p.port}`))
      p.nodePort = allocated.get(`${p.protocol}/${p.port}`);
  }
}

const sameIPs = (a: KubeObject, b: KubeObject): boolean =>
  JSON.stringify(a.spec?.clusterIPs ?? []) === JSON.stringify(b.spec?.clusterIPs ?? []);

/**
 * Upstream's normalizeClusterIPs: keeps clusterIPs in step with clusterIP for clients that set only the singular
 * field (on create, and on an update that changes or clears clusterIP while leaving clusterIPs as they were).
 */
export function normalizeClusterIPs(svc: KubeObject, old: KubeObject | undefined): void {
  const spec = svc.spec;
  if (!spec) return;
  if (!old) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const before = old.spec ?? {};
  if (before.clusterIPs?.length && !spec.clusterIPs?.length && before.clusterIP === spec.clusterIP) {
    spec.clusterIPs = before.clusterIPs;
  }
  if (before.clusterIP === spec.clusterIP) return;
  if (before.clusterIP && !spec.clusterIP && sameIPs(old, svc)) delete spec.clusterIPs;
  if (spec.clusterIP && sameIPs(old, svc)) spec.clusterIPs = [spec.clusterIP];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Upstream's dropTypeDependentFields: a service changing to a type that does not use a field the client left as
 * it was (copied from the old object) loses it, so that `kubectl patch … type=ExternalName` needs no more.
 */
export function dropTypeDependentFields(svc: KubeObject, old: KubeObject): void {
  const spec = svc.spec;
  const before = old.spec;
  if (!spec || !before) return;
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (sameIPs(old, svc)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(spec.ipFamilies, before.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === before.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  const nodePortsOf = (s: KubeObject) =>
    (s.spec?.ports ?? []).map((p: { nodePort?: number }) => p.nodePort ?? 0);
  if (needsNodePorts(old) && !needsNodePorts(svc) && same(nodePortsOf(old), nodePortsOf(svc))) {
    for (const port of spec.ports ?? []) delete port.nodePort;
  }
  if (before.type === "LoadBalancer" && spec.type !== "LoadBalancer") {
    if (spec.allocateLoadBalancerNodePorts === before.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (spec.loadBalancerClass === before.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(before) && !externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy === before.externalTrafficPolicy) delete spec.externalTrafficPolicy;
  }
  if (spec.type !== "LoadBalancer" && svc.status) svc.status = { ...svc.status, loadBalancer: {} };
}

export class ServiceAllocation {
  /** Allocations of creates that have not been stored (or refused) yet. */
  private readonly pendingIPs = new Set<string>();
  private readonly pendingNodePorts = new Set<number>();

  constructor(
    private readonly cacher: Cacher,
    private readonly random: () => number = Math.random,
  ) {}

  /** Allocates what a new service needs; the outcome releases the reservations once the create is decided. */
  admitCreate(r: ResourceInfo, svc: KubeObject): CreateOutcome | undefined {
    return isService(r) ? this.reserve(svc, undefined) : undefined;
  }

  /**
   * An update keeps what was allocated (the strategy carried it over) and allocates what a new type needs: a
   * cluster IP when leaving ExternalName, node ports when becoming NodePort or LoadBalancer. What the old type
   * had and the new one does not need is dropped (and so freed). Like a create's, its reservations hold until the
   * write is decided.
   */
  admitUpdate(r: ResourceInfo, svc: KubeObject, old: KubeObject): CreateOutcome | undefined {
    return isService(r) ? this.reserve(svc, old) : undefined;
  }

  /** Allocates for a create (no `old`) or an update; a refusal frees what was taken, success holds it until told. */
  private reserve(svc: KubeObject, old: KubeObject | undefined): CreateOutcome {
    const ips: string[] = [];
    const ports: number[] = [];
    try {
      this.allocate(svc, old, ips, ports);
    } catch (err) {
      this.release(ips, ports);
      throw err;
    }
    return () => this.release(ips, ports);
  }

  private allocate(svc: KubeObject, old: KubeObject | undefined, ips: string[], ports: number[]): void {
    svc.spec ??= {};
    const spec = svc.spec;
    const name = svc.metadata.name ?? "";
    const errors: FieldError[] = [];
    if (spec.type === "ExternalName") {
      for (const field of ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"]) delete spec[field];
    } else {
      spec.ipFamilies ??= ["IPv4"];
      spec.ipFamilyPolicy ??= "SingleStack";
      if (spec.clusterIP === "None") spec.clusterIPs = ["None"];
      else if (!old || old.spec?.clusterIP !== spec.clusterIP || !spec.clusterIP) {
        const ip = spec.clusterIP ? this.claimIP(spec.clusterIP, errors) : this.freeIP();
        if (ip) {
          ips.push(ip);
          spec.clusterIP = ip;
          spec.clusterIPs = [ip];
        }
      }
    }
    // Upstream's initNodePorts: a NodePort or LoadBalancer service keeps the node ports it asks for (a load
    // balancer without allocateLoadBalancerNodePorts gets no new ones), and the ports of one service that share a
    // port number (TCP and UDP 53) share their node port.
    const keepsNodePorts = spec.type === "NodePort" || spec.type === "LoadBalancer";
    const used = keepsNodePorts ? this.usedNodePorts(svc) : new Set<number>();
    const oldPorts = new Set<number>((old?.spec?.ports ?? []).map((p: { nodePort?: number }) => p.nodePort));
    const byPortNumber = new Map<number, number>();
    (spec.ports ?? []).forEach((port: { port?: number; nodePort?: number }, i: number) => {
      if (!keepsNodePorts) {
        delete port.nodePort;
        return;
      }
      const shared = byPortNumber.get(port.port ?? 0);
      if (port.nodePort && (oldPorts.has(port.nodePort) || port.nodePort === shared)) return;
      if (!port.nodePort && !needsNodePorts(svc)) return;
      const nodePort = port.nodePort
        ? this.claimNodePort(port.nodePort, used, i, errors)
        : (shared ?? this.freeNodePort(used));
      if (nodePort === undefined) return;
      if (nodePort !== shared) {
        used.add(nodePort);
        ports.push(nodePort);
      }
      byPortNumber.set(port.port ?? 0, nodePort);
      port.nodePort = nodePort;
    });
    if (errors.length > 0) throw this.refusal(name, errors);
  }

  private refusal(name: string, errors: FieldError[]): ApiError {
    return toApiError(SERVICES.kind, SERVICES.group, name, errors);
  }

  private usedIPs(): Set<string> {
    const used = new Set(this.pendingIPs);
    for (const svc of this.cacher.cache(SERVICES).list({}))
      if (svc.spec?.clusterIP) used.add(svc.spec.clusterIP);
    return used;
  }

  private usedNodePorts(except: KubeObject): Set<number> {
    const used = new Set(this.pendingNodePorts);
    for (const svc of this.cacher.cache(SERVICES).list({})) {
      if (svc.metadata.uid === except.metadata.uid) continue;
      for (const port of svc.spec?.ports ?? []) if (port.nodePort) used.add(port.nodePort);
    }
    return used;
  }

  private claimIP(ip: string, errors: FieldError[]): string | undefined {
    const path = FieldPath.root("spec", "clusterIPs");
    const offset = ipToNumber(ip) - RANGE_BASE;
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || offset <= 0 || offset >= RANGE_SIZE - 1) {
      errors.push(
        invalid(
          path,
          goStringSlice([ip]),
          `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`,
        ),
      );
      return undefined;
    }
    if (this.usedIPs().has(ip)) {
      errors.push(
        invalid(path, goStringSlice([ip]), `failed to allocate IP ${ip}: provided IP is already allocated`),
      );
      return undefined;
    }
    this.pendingIPs.add(ip);
    return ip;
  }

  /** A random free address (neither the network's nor the broadcast address), as upstream's allocator picks. */
  private freeIP(): string {
    const used = this.usedIPs();
    const usable = RANGE_SIZE - 2;
    const start = Math.floor(this.random() * usable);
    for (let i = 0; i < usable; i++) {
      const ip = numberToIp(RANGE_BASE + 1 + ((start + i) % usable));
      if (!used.has(ip)) {
        this.pendingIPs.add(ip);
        return ip;
      }
    }
    throw toApiError(SERVICES.kind, SERVICES.group, "", [
      invalid(
        FieldPath.root("spec", "clusterIPs"),
        goStringSlice([]),
        "failed to allocate a serviceIP: range is full",
      ),
    ]);
  }

  private claimNodePort(
    port: number,
    used: Set<number>,
    i: number,
    errors: FieldError[],
  ): number | undefined {
    const path = PORTS.index(i).child("nodePort");
    if (port < NODE_PORT_RANGE.first || port > NODE_PORT_RANGE.last) {
      errors.push(
        invalid(
          path,
          port,
          `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.first}-${NODE_PORT_RANGE.last}`,
        ),
      );
      return undefined;
    }
    if (used.has(port)) {
      errors.push(invalid(path, port, "provided port is already allocated"));
      return undefined;
    }
    this.pendingNodePorts.add(port);
    return port;
  }

  private freeNodePort(used: Set<number>): number {
    const size = NODE_PORT_RANGE.last - NODE_PORT_RANGE.first + 1;
    const start = Math.floor(this.random() * size);
    for (let i = 0; i < size; i++) {
      const port = NODE_PORT_RANGE.first + ((start + i) % size);
      if (!used.has(port)) {
        this.pendingNodePorts.add(port);
        return port;
      }
    }
    throw toApiError(SERVICES.kind, SERVICES.group, "", [
      invalid(PORTS, goStringSlice([]), "failed to allocate a nodePort: range is full"),
    ]);
  }

  private release(ips: readonly string[], ports: readonly number[]): void {
    for (const ip of ips) this.pendingIPs.delete(ip);
    for (const port of ports) this.pendingNodePorts.delete(port);
  }
}
