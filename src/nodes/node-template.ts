// The Node objects `everynode up --nodes N` registers: one control-plane node tainted NoSchedule and workers,
// with the standard kubernetes.io labels, capacity and nodeInfo a kubelet would report. The defaults here are
// also what the node fleet fills into a Node whose manifest leaves them out.

import { rfc3339 } from "../api/kube-time.js";
import type { KubeObject } from "../api/object.js";
import { KUBELET_CONDITIONS, nodeCondition } from "./node-conditions.js";

export const CONTROL_PLANE_NODE = "control-plane";
export const CONTROL_PLANE_ROLE_LABEL = "node-role.kubernetes.io/control-plane";
export const SIMULATED_KUBELET_VERSION = "v1.32.0";
export const KUBELET_PORT = 10250;

/** Capacity of a simulated node when its manifest gives none (DESIGN.md). */
export const DEFAULT_NODE_CAPACITY: Readonly<Record<string, string>> = {
  cpu: "4",
  memory: "8Gi",
  "ephemeral-storage": "100Gi",
  // A Linux kubelet reports both huge page sizes, none reserved.
  "hugepages-1Gi": "0",
  "hugepages-2Mi": "0",
  pods: "110",
};

export const HOSTNAME_LABEL = "kubernetes.io/hostname";
export const OS_LABEL = "kubernetes.io/os";
export const ARCH_LABEL = "kubernetes.io/arch";
export const BETA_OS_LABEL = "beta.kubernetes.io/os";
export const BETA_ARCH_LABEL = "beta.kubernetes.io/arch";

/** The labels a kubelet puts on its Node (the beta forms too, as upstream still does). */
export function standardNodeLabels(name: string, os = "linux", arch = "amd64"): Record<string, string> {
  return {
    [BETA_ARCH_LABEL]: arch,
    [BETA_OS_LABEL]: os,
    [ARCH_LABEL]: arch,
    [HOSTNAME_LABEL]: name,
    [OS_LABEL]: os,
  };
}

/** status.nodeInfo of a simulated kubelet. */
export function simulatedNodeInfo(os = "linux", arch = "amd64"): Record<string, string> {
  return {
    machineID: "",
    systemUUID: "",
    bootID: "",
    kernelVersion: "6.1.0-everynode",
    osImage: "everynode simulated node",
    containerRuntimeVersion: "everynode://0.1.0",
    kubeletVersion: SIMULATED_KUBELET_VERSION,
    kubeProxyVersion: SIMULATED_KUBELET_VERSION,
    operatingSystem: os,
    architecture: arch,
  };
}

/** Names of the nodes of a fresh cluster of `count` nodes: control-plane, node1, node2, … */
export function defaultNodeNames(count: number): string[] {
  if (count <= 0) return [];
  return [CONTROL_PLANE_NODE, ...Array.from({ length: count - 1 }, (_, i) => `node${i + 1}`)];
}

/**
 * The pod CIDR of the `index`-th node: 10.244.<index>.0/24 for the first 256 (the documented range), then /24s
 * from 10.128.0.0/10 so that clusters of thousands of nodes still get valid, distinct ranges.
 */
export function podCIDRFor(index: number): string {
  if (index < 256) return `10.244.${index}.0/24`;
  const block = index - 256;
  return `10.${128 + Math.floor(block / 256)}.${block % 256}.0/24`;
}

/** The /24s podCIDRFor has to give: 256 in 10.244.0.0/16, then the 16,384 of 10.128.0.0/10. */
const CLUSTER_POD_CIDRS = 256 + 64 * 256;

/** The `index`-th pod range the node IPAM controller may hand out, or undefined past the cluster's range. */
export function clusterPodCIDR(index: number): string | undefined {
  return index >= 0 && index < CLUSTER_POD_CIDRS ? podCIDRFor(index) : undefined;
}

export function buildNode(name: string, index: number, now: number): KubeObject {
  const controlPlane = name === CONTROL_PLANE_NODE;
  const labels = standardNodeLabels(name);
  if (controlPlane) {
    labels[CONTROL_PLANE_ROLE_LABEL] = "";
    labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
  }
  const capacity = { ...DEFAULT_NODE_CAPACITY };
  const time = rfc3339(now);
  const ip = `10.0.${Math.floor(index / 250)}.${(index % 250) + 2}`;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels, annotations: { "node.alpha.kubernetes.io/ttl": "0" } },
    spec: {
      podCIDR: podCIDRFor(index),
      podCIDRs: [podCIDRFor(index)],
      ...(controlPlane ? { taints: [{ key: CONTROL_PLANE_ROLE_LABEL, effect: "NoSchedule" }] } : {}),
    },
    status: {
      capacity,
      allocatable: { ...capacity },
      conditions: KUBELET_CONDITIONS.map((kind) => nodeCondition(kind, kind.type === "Ready", time, time)),
      addresses: [
        { type: "InternalIP", address: ip },
        { type: "Hostname", address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
      nodeInfo: simulatedNodeInfo(),
    },
  };
}

/**
 * Marks the nodes an `everynode fleet` process owns, so several fleets share one cluster: each simulates only
 * its own, and the fleet inside `everynode up` only the unlabelled ones.
 */
export const FLEET_LABEL = "sim.everynode.dev/fleet";
