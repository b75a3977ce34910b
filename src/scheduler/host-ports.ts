// Host ports as the NodePorts plugin sees them (framework.HostPortInfo): the (IP, protocol, port) triples pods
// hold on a node, where 0.0.0.0 conflicts with every IP. Counted, so two pods bound past the scheduler to the
// same port do not free it twice.
import type { KubeObject } from "../api/object.js";

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

const BIND_ALL = "0.0.0.0";

/** HostPortInfo.sanitize: an empty IP binds all addresses and an empty protocol is TCP. */
function sanitize(ip: string | undefined, protocol: string | undefined, port: number): HostPort {
  return { ip: ip || BIND_ALL, protocol: protocol || "TCP", port };
}

/** The host ports a pod's (regular) containers ask for; ports without hostPort take nothing on the node. */
export function podHostPorts(pod: KubeObject): HostPort[] {
  const out: HostPort[] = [];
  for (const container of pod.spec?.containers ?? []) {
    for (const p of container?.ports ?? []) {
      const hostPort = Number(p?.hostPort ?? 0);
      if (hostPort > 0) out.push(sanitize(p.hostIP, p.protocol, hostPort));
    }
  }
  return out;
}

export class HostPortInfo {
  /** IP → "PROTOCOL/port" → how many pods hold it. */
  private readonly byIp = new Map<string, Map<string, number>>();

  add(p: HostPort): void {
    if (p.port <= 0) return;
    let ports = this.byIp.get(p.ip);
    if (!ports) {
      ports = new Map();
      this.byIp.set(p.ip, ports);
    }
    const key = `${p.protocol}/${p.port}`;
    ports.set(key, (ports.get(key) ?? 0) + 1);
  }

  remove(p: HostPort): void {
    const ports = this.byIp.get(p.ip);
    const key = `${p.protocol}/${p.port}`;
    const count = ports?.get(key);
    if (!ports || count === undefined) return;
    if (count > 1) ports.set(key, count - 1);
    else ports.delete(key);
    if (ports.size === 0) this.byIp.delete(p.ip);
  }

  /** HostPortInfo.CheckConflict: 0.0.0.0 collides with the port on any IP; a specific IP with itself and 0.0.0.0. */
  conflicts(p: HostPort): boolean {
    if (p.port <= 0) return false;
    const key = `${p.protocol}/${p.port}`;
    if (p.ip === BIND_ALL) {
      for (const ports of this.byIp.values()) if (ports.has(key)) return true;
      return false;
    }
    return !!(this.byIp.get(BIND_ALL)?.has(key) || this.byIp.get(p.ip)?.has(key));
  }

  get empty(): boolean {
    return this.byIp.size === 0;
  }

  clone(): HostPortInfo {
    const copy = new HostPortInfo();
    for (const [ip, ports] of this.byIp) copy.byIp.set(ip, new Map(ports));
    return copy;
  }
}
