// Hands out pod IPs from a node's pod CIDR (spec.podCIDR, as a CNI plugin would), skipping the network and
// gateway addresses and any IP still in use. A node without a pod CIDR gets a stable /24 derived from its name.
import { createHash } from "node:crypto";

export function parseIPv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    value = value * 256 + Number(p);
  }
  return value;
}

export function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

/** A stable address in `base`/`prefix` for `name` (used for nodes and pod ranges a manifest left out). */
export function hashedAddress(name: string, base: number, bits: number): number {
  const hash = createHash("sha256").update(name).digest().readUInt32BE(0);
  return base + (hash % 2 ** bits);
}

/** Fallback pod ranges for nodes without spec.podCIDR: /24s inside 100.64.0.0/10 (clear of podCIDRFor). */
const FALLBACK_BASE = parseIPv4("100.64.0.0") as number;

export class PodIpPool {
  private readonly first: number;
  private readonly size: number;
  private readonly used = new Set<number>();
  private cursor = 0;

  constructor(
    readonly cidr: string | undefined,
    nodeName: string,
  ) {
    const range = cidr ? parseIPv4Cidr(cidr) : undefined;
    const [network, prefix] = range ?? [FALLBACK_BASE + hashedAddress(nodeName, 0, 14) * 256, 24];
    const hostBits = 32 - prefix;
    // .0 is the network, .1 the bridge/gateway, the last address the broadcast.
    this.first = network + 2;
    this.size = hostBits >= 2 ? 2 ** hostBits - 3 : 1;
  }

  /** The next free address (wrapping around); reuses one when every address is taken. */
  allocate(): string {
    for (let tried = 0; tried < this.size; tried++) {
      const candidate = this.first + ((this.cursor + tried) % this.size);
      if (!this.used.has(candidate)) {
        this.cursor = (this.cursor + tried + 1) % this.size;
        this.used.add(candidate);
        return formatIPv4(candidate);
      }
    }
    return formatIPv4(this.first);
  }

  /** Marks an address from an existing pod status as taken. */
  reserve(ip: string): void {
    const value = parseIPv4(ip);
    if (value !== undefined) this.used.add(value);
  }

  release(ip: string | undefined): void {
    const value = ip ? parseIPv4(ip) : undefined;
    if (value !== undefined) this.used.delete(value);
  }
}

/** [network address, prefix length] of an IPv4 CIDR; undefined for IPv6 or malformed text. */
export function parseIPv4Cidr(cidr: string): [number, number] | undefined {
  const [ip, bits] = cidr.split("/");
  const address = parseIPv4(ip ?? "");
  const prefix = Number(bits);
  if (address === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [(address & mask) >>> 0, prefix];
}
